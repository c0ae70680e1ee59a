package dev.wharf.itests.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.itests.support.EventsAndHooksCheck;
import dev.wharf.itests.support.WharfSupport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.inject.Inject;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Wharf in plain Felix with the launcher's bundle set, configured through ConfigAdmin, exercised over real
 * sockets with Apache Commons Net (which runs inside the framework, in the probe).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FelixFtpsIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    private WharfSupport wharf;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return options(
                LauncherBundles.felixWithWharf("ftps"));
    }

    @Before
    public void setUp() {
        wharf = new WharfSupport(context, cm);
    }

    @After
    public void tearDown() throws Exception {
        wharf.close();
    }

    @Test
    public void allBundlesAreActive() {
        List<String> notActive = new ArrayList<>();
        boolean impl = false;
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " " + b.getVersion() + " state " + b.getState());
            }
            impl |= b.getLocation().contains("wharf-impl");
        }
        assertTrue("wharf-impl is installed", impl);
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
    }

    /** (a) explicit FTPS: AUTH TLS, PBSZ 0, PROT P, passive STOR and RETR; the clear password is hashed. */
    @Test
    public void explicitFtpsRoundTripAndPasswordHashed() throws Exception {
        Path home = wharf.dir("home-explicit");
        wharf.selfSignedSsl("default");
        Configuration user = wharf.user("alice", "alice-secret-1", home);
        wharf.listener("explicit");

        InetSocketAddress address = wharf.awaitListener("explicit", FtpListener::tlsAvailable);
        wharf.awaitHashedPassword(user, "alice-secret-1");

        FTPSClient c = wharf.ftps(address, false);
        WharfSupport.loginProtected(c, "alice", "alice-secret-1");
        WharfSupport.roundTrip(c, "upload.bin", WharfSupport.randomBytes(300_000, 1), home);
        assertTrue(c.logout());
    }

    /**
     * Changing a user's configuration (here: other limits, then write access) applies in place: the user's store
     * is never unregistered, so no login in between is refused as if the user did not exist, and a session that is
     * logged in stays so.
     */
    @Test
    public void aChangedUserConfigurationNeverTakesTheUserAway() throws Exception {
        Path home = wharf.dir("home-changed");
        wharf.selfSignedSsl("default");
        Configuration user = wharf.user("fred", "fred-secret-6", home);
        wharf.listener("changes");
        InetSocketAddress address = wharf.awaitListener("changes", FtpListener::tlsAvailable);
        String hash = wharf.awaitHashedPassword(user, "fred-secret-6");
        FTPSClient before = wharf.ftps(address, false);
        WharfSupport.loginProtected(before, "fred", "fred-secret-6");

        AtomicInteger unregistered = new AtomicInteger();
        AtomicInteger modified = new AtomicInteger();
        ServiceListener watch = e -> {
            if (user.getPid().equals(e.getServiceReference().getProperty(Constants.SERVICE_PID))) {
                (e.getType() == ServiceEvent.UNREGISTERING ? unregistered : modified)
                        .incrementAndGet();
            }
        };
        context.addServiceListener(watch, "(objectClass=dev.wharf.ftp.api.UserStore)");
        try {
            Dictionary<String, Object> props = wharf.stored(user.getPid());
            props.put("max.sessions", Integer.valueOf(7));
            props.put("write", Boolean.FALSE);
            user.update(props);
            awaitCount(modified, 1);
            props.put("write", Boolean.TRUE);
            user.update(props);
            awaitCount(modified, 2);
        } finally {
            context.removeServiceListener(watch);
        }
        assertEquals("the user's store was never unregistered", 0, unregistered.get());
        assertEquals("the password hash is kept", hash, wharf.stored(user.getPid()).get("password"));
        assertTrue("the session logged in before the changes still works", before.sendNoOp());
        FTPSClient after = wharf.ftps(address, false);
        WharfSupport.loginProtected(after, "fred", "fred-secret-6");
        assertTrue("the last change applies to a new login: " + after.getReplyString(),
                after.makeDirectory("made-after-the-change"));
        after.logout();
        before.logout();
    }

    private static void awaitCount(AtomicInteger count, int expected)
            throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (count.get() < expected && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        assertTrue("service events seen: " + count.get() + ", expected " + expected, count.get() >= expected);
    }

    /**
     * An EventHandler and an FtpHook registered at run time see and decide over real FTPS sessions; removing the
     * hook restores normal behaviour without a restart.
     */
    @Test
    public void eventsAndHooksRegisteredAtRunTime() throws Exception {
        Path home = wharf.dir("home-events");
        Files.createDirectories(home);
        wharf.selfSignedSsl("default");
        wharf.user("erin", "erin-secret-5", home);
        wharf.listener("events");
        InetSocketAddress address = wharf.awaitListener("events", FtpListener::tlsAvailable);
        new EventsAndHooksCheck(context, wharf).run(address, "events", "erin", "erin-secret-5", home);
    }

    /** data.ssl.target: data connections use their own SSL configuration (another key), control its own. */
    @Test
    public void dataConnectionsUseTheirOwnSslConfiguration() throws Exception {
        Path home = wharf.dir("home-data-ssl");
        wharf.selfSignedSsl("control-tls");
        wharf.selfSignedSsl("data-tls");
        wharf.user("dora", "dora-secret-3", home);
        wharf.listener("split-tls", "ssl.target", "(name=control-tls)", "data.ssl.target", "(name=data-tls)");
        InetSocketAddress address = wharf.awaitListener("split-tls", FtpListener::tlsAvailable);

        List<SSLSocket> dataSockets = new ArrayList<>();
        List<PublicKey> controlKey = new ArrayList<>();
        FTPSClient c = new FTPSClient("TLS", false) {
            @Override
            protected void _prepareDataSocket_(Socket socket) throws IOException {
                dataSockets.add((SSLSocket) socket);
                controlKey.add(((SSLSocket) _socket_).getSession().getPeerCertificates()[0].getPublicKey());
            }
        };
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setDefaultTimeout((int) WharfSupport.TIMEOUT_MS);
        c.connect(address.getAddress(), address.getPort());
        try {
            WharfSupport.loginProtected(c, "dora", "dora-secret-3");
            WharfSupport.roundTrip(c, "split.bin", WharfSupport.randomBytes(50_000, 3), home);
            assertTrue(c.logout());
        } finally {
            c.disconnect();
        }
        assertTrue(dataSockets.size() >= 2);
        assertEquals(selfSignedKey("control-tls"), controlKey.get(0));
        for (SSLSocket data : dataSockets) {
            assertEquals(selfSignedKey("data-tls"), data.getSession().getPeerCertificates()[0].getPublicKey());
        }
    }

    /** The public key of a self-signed SSL configuration, from the PEM file Wharf keeps under wharf.data. */
    private static PublicKey selfSignedKey(String sslName) throws Exception {
        Path pem = Path.of(System.getProperty("wharf.data"), "tls", "ssl-" + sslName + ".crt");
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey();
        }
    }

    /**
     * Changing configurations while the server runs: a listener's new settings rebind that listener only, and an
     * SSL configuration's new protocols reach new sessions while an open session keeps going.
     */
    @Test
    public void changedConfigurationsTakeEffectWithoutDisturbingOtherSessions() throws Exception {
        Path home = wharf.dir("home-change");
        Configuration ssl = wharf.selfSignedSsl("changing-tls");
        wharf.user("erin", "erin-secret-4", home);
        Configuration moving = wharf.listener("moving", "ssl.target", "(name=changing-tls)");
        wharf.listener("steady", "ssl.target", "(name=changing-tls)");
        InetSocketAddress before = wharf.awaitListener("moving", FtpListener::tlsAvailable);
        InetSocketAddress steady = wharf.awaitListener("steady", FtpListener::tlsAvailable);

        FTPSClient session = wharf.ftps(steady, false);
        WharfSupport.loginProtected(session, "erin", "erin-secret-4");
        try {
            Dictionary<String, Object> props = moving.getProperties();
            props.put("max.connections", Integer.valueOf(7));
            props.put("host", "127.0.0.2"); // a new bind address: the listener rebinds (the rest would apply live)
            moving.update(props);
            InetSocketAddress after = wharf.awaitListener("moving",
                    l -> l.boundAddress() != null && !l.boundAddress().equals(before));
            FTPSClient other = wharf.ftps(after, false);
            WharfSupport.loginProtected(other, "erin", "erin-secret-4");
            assertTrue(other.logout());
            other.disconnect();

            Dictionary<String, Object> sslProps = ssl.getProperties();
            sslProps.put("protocols", new String[] {"TLSv1.2"});
            ssl.update(sslProps);
            long deadline = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS;
            String protocol;
            do {
                Thread.sleep(200);
                protocol = negotiatedProtocol(wharf.awaitListener("steady", FtpListener::tlsAvailable));
            } while (!protocol.equals("TLSv1.2") && System.currentTimeMillis() < deadline);
            assertEquals("TLSv1.2", protocol);

            assertTrue(session.sendNoOp()); // the session opened before both changes still works
            WharfSupport.roundTrip(session, "still.bin", WharfSupport.randomBytes(20_000, 4), home);
        } finally {
            session.disconnect();
        }
    }

    /**
     * FileInstall adds the name of the file it read to a configuration a feature or the Web Console created: a
     * change of framework keys alone must not rebind the listener nor end its sessions.
     */
    @Test
    public void aChangeOfFrameworkKeysAloneLeavesTheListenerAndItsSessionsAlone() throws Exception {
        Path home = wharf.dir("home-file-name");
        wharf.selfSignedSsl("file-name-tls");
        wharf.user("fina", "fina-secret-6", home);
        Configuration listener = wharf.listener("file-name", "ssl.target", "(name=file-name-tls)");
        InetSocketAddress before = wharf.awaitListener("file-name", FtpListener::tlsAvailable);
        FTPSClient session = wharf.ftps(before, false);
        WharfSupport.loginProtected(session, "fina", "fina-secret-6");
        try {
            Dictionary<String, Object> props = listener.getProperties();
            props.put("felix.fileinstall.filename", "file:/etc/wharf/dev.wharf.ftp.listener-file-name.cfg");
            listener.update(props);
            long end = System.currentTimeMillis() + 2_000;
            while (System.currentTimeMillis() < end) {
                assertEquals("the listener kept its socket", before, wharf.listenerService("file-name").boundAddress());
                Thread.sleep(100);
            }
            assertTrue("the session survived: " + session.getReplyString(), session.sendNoOp());
            WharfSupport.roundTrip(session, "kept.bin", WharfSupport.randomBytes(10_000, 6), home);
        } finally {
            session.disconnect();
        }
    }

    private static String negotiatedProtocol(InetSocketAddress a) throws IOException {
        List<String> protocol = new ArrayList<>();
        FTPSClient c = new FTPSClient("TLS", false) {
            @Override
            protected void _connectAction_() throws IOException {
                super._connectAction_();
                protocol.add(((SSLSocket) _socket_).getSession().getProtocol());
            }
        };
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setDefaultTimeout((int) WharfSupport.TIMEOUT_MS);
        c.connect(a.getAddress(), a.getPort());
        c.disconnect();
        return protocol.get(0);
    }

    /** (b) implicit FTPS: TLS from the first byte. */
    @Test
    public void implicitFtpsRoundTrip() throws Exception {
        Path home = wharf.dir("home-implicit");
        wharf.selfSignedSsl("implicit-tls");
        wharf.user("bob", "bob-secret-2", home);
        wharf.listener("implicit", "implicit.ssl", Boolean.TRUE, "ssl.target", "(name=implicit-tls)");

        InetSocketAddress address = wharf.awaitListener("implicit", FtpListener::tlsAvailable);
        FTPSClient c = wharf.ftps(address, true);
        WharfSupport.loginProtected(c, "bob", "bob-secret-2");
        WharfSupport.roundTrip(c, "implicit.bin", WharfSupport.randomBytes(200_000, 2), home);
        assertTrue(c.logout());
    }

    /** (c) adding and deleting a second listener leaves the first one's sessions alone. */
    @Test
    public void secondListenerComesAndGoesWithoutDisturbingTheFirst() throws Exception {
        Path home = wharf.dir("home-two");
        wharf.selfSignedSsl("two-tls");
        wharf.user("carol", "carol-secret-3", home);
        wharf.listener("first", "ssl.target", "(name=two-tls)");
        InetSocketAddress first = wharf.awaitListener("first", FtpListener::tlsAvailable);

        FTPSClient session = wharf.ftps(first, false);
        WharfSupport.loginProtected(session, "carol", "carol-secret-3");

        Configuration secondConfig = wharf.listener("second", "ssl.target", "(name=two-tls)", "tls.required", "none");
        InetSocketAddress second = wharf.awaitListener("second");
        assertNotEquals(first.getPort(), second.getPort());
        FTPClient probe = wharf.plain(second);
        assertTrue("login on the second listener: " + probe.getReplyString(), probe.login("carol", "carol-secret-3"));
        probe.disconnect();

        wharf.delete(secondConfig);
        WharfSupport.awaitClosed(second);
        assertFalse("no FtpListener service for the deleted configuration", wharf.hasListenerService("second"));

        assertTrue("NOOP on the first listener's session: " + session.getReplyString(), session.sendNoOp());
        assertEquals(200, session.getReplyCode());
        assertEquals("/", session.printWorkingDirectory());
        assertEquals("the first listener kept its port", first, wharf.listenerService("first").boundAddress());
        WharfSupport.roundTrip(session, "still.bin", WharfSupport.randomBytes(50_000, 3), home);
        assertTrue(session.logout());
    }

    private static final Pattern AUTH_FEATURE = Pattern.compile("(?im)^\\s*AUTH\\b");

    /**
     * (d) a listener that allows plain FTP and has no matching SSL configuration: no AUTH in FEAT, AUTH TLS
     * refused; once one appears, AUTH works.
     */
    @Test
    public void tlsAppearsWhenItsSslConfigurationDoes() throws Exception {
        Path home = wharf.dir("home-late");
        wharf.user("dave", "dave-secret-4", home);
        wharf.listener("late", "ssl.target", "(name=late-tls)", "tls.required", "none");

        InetSocketAddress address = wharf.awaitListener("late");
        assertFalse("tlsAvailable without an SSL configuration", wharf.listenerService("late").tlsAvailable());

        FTPClient c = wharf.plain(address);
        assertTrue("FEAT: " + c.getReplyString(), c.features());
        String feat = c.getReplyString();
        assertFalse("FEAT lists AUTH without TLS: " + feat, AUTH_FEATURE.matcher(feat).find());
        int auth = c.sendCommand("AUTH", "TLS");
        assertTrue("AUTH TLS refused with 5xx, got: " + c.getReplyString(), auth >= 500 && auth < 600);
        // the session goes on in clear text
        assertTrue("NOOP after refused AUTH: " + c.getReplyString(), c.sendNoOp());
        assertTrue("plain login: " + c.getReplyString(), c.login("dave", "dave-secret-4"));
        c.disconnect();

        wharf.selfSignedSsl("late-tls");
        InetSocketAddress now = wharf.awaitListener("late", FtpListener::tlsAvailable);

        FTPSClient s = wharf.ftps(now, false); // AUTH TLS inside connect(); throws if refused
        assertTrue("FEAT: " + s.getReplyString(), s.features());
        assertTrue("FEAT lists AUTH TLS: " + s.getReplyString(), Arrays.stream(s.featureValues("AUTH") == null
                ? new String[0] : s.featureValues("AUTH")).anyMatch(v -> v.toUpperCase().contains("TLS")));
        WharfSupport.loginProtected(s, "dave", "dave-secret-4");
        WharfSupport.roundTrip(s, "late.bin", WharfSupport.randomBytes(20_000, 4), home);
        assertTrue(s.logout());
    }

    @Test
    public void wrongPasswordIsRefused() throws Exception {
        Path home = wharf.dir("home-wrong");
        wharf.selfSignedSsl("wrong-tls");
        wharf.user("erin", "erin-secret-5", home);
        wharf.listener("wrong", "ssl.target", "(name=wrong-tls)");
        InetSocketAddress address = wharf.awaitListener("wrong", FtpListener::tlsAvailable);

        FTPSClient c = wharf.ftps(address, false);
        assertFalse("login with a wrong password", c.login("erin", "not-the-password"));
        assertEquals(530, c.getReplyCode());
        assertNotNull(c.getReplyString());
        assertTrue("FTPReply", FTPReply.isNegativePermanent(c.getReplyCode()));
    }
}
