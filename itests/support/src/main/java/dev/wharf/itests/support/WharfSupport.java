package dev.wharf.itests.support;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.wharf.ftp.api.FtpListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Runs inside the framework (part of the probe): creates Wharf configurations through ConfigAdmin, waits for
 * the services they produce, and drives the server with Apache Commons Net over real sockets. Everything a
 * test creates is deleted again by {@link #close()}, newest first, and any client it opened is disconnected.
 */
public final class WharfSupport implements AutoCloseable {

    public static final String SSL_PID = "dev.wharf.ftp.ssl";
    public static final String LISTENER_PID = "dev.wharf.ftp.listener";
    public static final String USER_PID = "dev.wharf.ftp.user";

    public static final long TIMEOUT_MS = 15_000;

    private final BundleContext context;
    private final ConfigurationAdmin cm;
    private final Path baseDir;
    private final List<Configuration> created = new ArrayList<>();
    private final List<FTPClient> clients = new ArrayList<>();

    public WharfSupport(BundleContext context, ConfigurationAdmin cm) {
        this.context = context;
        this.cm = cm;
        this.baseDir = Path.of(System.getProperty("wharf.itest.dir", "target/itest")).toAbsolutePath();
    }

    /**
     * A folder for a test, empty (not created): what an earlier run of the tests left there is removed, so that a
     * second {@code mvn install} without {@code clean} checks the same as the first.
     */
    public Path dir(String name) throws IOException {
        Path p = baseDir.resolve(name);
        Files.createDirectories(baseDir);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> tree = Files.walk(p)) {
                for (Path each : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(each);
                }
            }
        }
        return p;
    }

    // ---- configurations -------------------------------------------------------------------------------

    public Configuration factory(String factoryPid, String name, Object... keyValues) throws IOException {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("name", name);
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        Configuration c = cm.getFactoryConfiguration(factoryPid, name, "?");
        c.update(props);
        created.add(c);
        return c;
    }

    public Configuration selfSignedSsl(String name) throws IOException {
        return factory(SSL_PID, name, "self.signed", Boolean.TRUE);
    }

    public Configuration user(String name, String password, Path home) throws IOException {
        return factory(USER_PID, name, "password", password, "home", home.toString(), "write", Boolean.TRUE);
    }

    /** A listener on 127.0.0.1, port 0 (a free port), plus any further keys. */
    public Configuration listener(String name, Object... keyValues) throws IOException {
        Object[] all = new Object[keyValues.length + 4];
        all[0] = "host";
        all[1] = "127.0.0.1";
        all[2] = "port";
        all[3] = Integer.valueOf(0);
        System.arraycopy(keyValues, 0, all, 4, keyValues.length);
        return factory(LISTENER_PID, name, all);
    }

    public void delete(Configuration c) throws IOException {
        created.remove(c);
        c.delete();
    }

    /** The stored properties of a configuration, read afresh from ConfigAdmin. */
    public Dictionary<String, Object> stored(String pid) throws IOException, InvalidSyntaxException {
        Configuration[] found = cm.listConfigurations("(service.pid=" + pid + ")");
        assertNotNull("configuration " + pid + " exists", found);
        return found[0].getProperties();
    }

    /** Waits until the user configuration's password is an Argon2id hash; returns that value. */
    public String awaitHashedPassword(Configuration user, String clear) throws Exception {
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        Object value = null;
        while (System.currentTimeMillis() < end) {
            value = stored(user.getPid()).get("password");
            if (value instanceof String && ((String) value).startsWith("$argon2id$")) {
                String hash = (String) value;
                assertTrue("the hash does not contain the clear text", !hash.contains(clear));
                return hash;
            }
            Thread.sleep(100);
        }
        fail("password of " + user.getPid() + " was not replaced by an Argon2id hash; it is: " + value);
        return null;
    }

    // ---- services ---------------------------------------------------------------------------------------

    /**
     * Waits for the FtpListener service named {@code name} to satisfy {@code condition} and accept connections
     * at its bound address, the same address on two looks 300 ms apart (a configuration change may rebind it).
     */
    public InetSocketAddress awaitListener(String name, Predicate<FtpListener> condition) throws Exception {
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        String last = "no FtpListener service";
        InetSocketAddress previous = null;
        while (System.currentTimeMillis() < end) {
            InetSocketAddress ready = null;
            for (ServiceReference<FtpListener> ref : listenersNamed(name)) {
                FtpListener l = context.getService(ref);
                if (l == null) {
                    continue;
                }
                try {
                    InetSocketAddress a = l.boundAddress();
                    last = "bound to " + a + ", tlsAvailable " + l.tlsAvailable();
                    if (a != null && a.getPort() > 0 && condition.test(l)) {
                        ready = a;
                    }
                } finally {
                    context.ungetService(ref);
                }
            }
            if (ready != null && !accepts(ready)) {
                last += ", but it refuses connections";
                ready = null;
            }
            if (ready != null && ready.equals(previous)) {
                return ready;
            }
            previous = ready;
            Thread.sleep(ready == null ? 100 : 300);
        }
        fail("listener " + name + " not ready within " + TIMEOUT_MS + " ms: " + last);
        return null;
    }

    public InetSocketAddress awaitListener(String name) throws Exception {
        return awaitListener(name, l -> true);
    }

    private Collection<ServiceReference<FtpListener>> listenersNamed(String name) throws Exception {
        return context.getServiceReferences(FtpListener.class, "(name=" + name + ")");
    }

    public FtpListener listenerService(String name) throws Exception {
        for (ServiceReference<FtpListener> ref : listenersNamed(name)) {
            FtpListener l = context.getService(ref);
            if (l != null) {
                return l;
            }
        }
        return null;
    }

    public boolean hasListenerService(String name) throws Exception {
        return !context.getServiceReferences(FtpListener.class, "(name=" + name + ")").isEmpty();
    }

    public static boolean accepts(InetSocketAddress a) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(a, 2_000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    /** Waits until nothing accepts connections on {@code a} any more. */
    public static void awaitClosed(InetSocketAddress a) throws Exception {
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            if (!accepts(a)) {
                return;
            }
            Thread.sleep(100);
        }
        fail(a + " still accepts connections " + TIMEOUT_MS + " ms after its listener was deleted");
    }

    // ---- clients --------------------------------------------------------------------------------------------

    private <C extends FTPClient> C setUp(C c) {
        c.setConnectTimeout(5_000);
        c.setDefaultTimeout(15_000);
        c.setDataTimeout(Duration.ofSeconds(15));
        clients.add(c);
        return c;
    }

    /** Plain FTP, connected; the greeting checked. */
    public FTPClient plain(InetSocketAddress a) throws IOException {
        FTPClient c = setUp(new FTPClient());
        c.connect(a.getAddress(), a.getPort());
        assertTrue("greeting: " + c.getReplyString(), FTPReply.isPositiveCompletion(c.getReplyCode()));
        return c;
    }

    /**
     * FTPS (explicit: AUTH TLS during connect; implicit: TLS from the first byte), connected and with TLS on
     * the control connection, trusting any certificate (the server's is self-signed).
     */
    public FTPSClient ftps(InetSocketAddress a, boolean implicit) throws IOException {
        TlsClient c = setUp(new TlsClient(implicit));
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.connect(a.getAddress(), a.getPort());
        assertTrue("control connection is TLS", c.controlIsTls());
        assertTrue("greeting: " + c.getReplyString(), FTPReply.isPositiveCompletion(c.getReplyCode()));
        return c;
    }

    /** Logs in and protects data connections (PBSZ 0, PROT P); binary, passive. */
    public static void loginProtected(FTPSClient c, String user, String password) throws IOException {
        assertTrue("login: " + c.getReplyString(), c.login(user, password));
        c.execPBSZ(0);
        assertEquals("PBSZ 0: " + c.getReplyString(), 200, c.getReplyCode());
        c.execPROT("P");
        assertEquals("PROT P: " + c.getReplyString(), 200, c.getReplyCode());
        assertTrue(c.setFileType(FTP.BINARY_FILE_TYPE));
        c.enterLocalPassiveMode();
    }

    public static byte[] randomBytes(int size, long seed) {
        // Seeded, so a failing comparison can be reproduced byte for byte.
        SplittableRandom seeded = new SplittableRandom(seed);
        byte[] b = new byte[size];
        seeded.nextBytes(b);
        return b;
    }

    /** STOR then RETR of {@code data} as {@code remoteName}; checks the server's copy on disk and the download. */
    public static void roundTrip(FTPClient c, String remoteName, byte[] data, Path home) throws IOException {
        assertTrue("STOR: " + c.getReplyString(), c.storeFile(remoteName, new ByteArrayInputStream(data)));
        assertEquals("STOR completion: " + c.getReplyString(), 226, c.getReplyCode());
        Path onDisk = home.resolve(remoteName);
        assertTrue("uploaded file exists at " + onDisk, Files.isRegularFile(onDisk));
        assertArrayEquals("uploaded bytes on disk", data, Files.readAllBytes(onDisk));

        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertTrue("RETR: " + c.getReplyString(), c.retrieveFile(remoteName, back));
        assertEquals("RETR completion: " + c.getReplyString(), 226, c.getReplyCode());
        assertArrayEquals("downloaded bytes", data, back.toByteArray());
    }

    /** An FTPSClient that tells whether its control connection is TLS. */
    public static final class TlsClient extends FTPSClient {
        TlsClient(boolean implicit) {
            super("TLS", implicit);
        }

        boolean controlIsTls() {
            return _socket_ instanceof SSLSocket && ((SSLSocket) _socket_).getSession().isValid();
        }
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (FTPClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect();
                }
            } catch (IOException e) {
                // closing anyway
            }
        }
        clients.clear();
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                created.get(i).delete();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        created.clear();
        if (first != null) {
            throw first;
        }
    }
}
