package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.TlsSettings.ClientAuth;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import dev.wharf.ftp.impl.settings.SessionReuse;
import dev.wharf.ftp.impl.tls.TestPki;
import dev.wharf.ftp.impl.tls.TlsSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.security.auth.x500.X500Principal;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.bouncycastle.jsse.BCSSLSocket;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** TLS policy over real sockets: requirements, client certificates, data TLS modes, reuse, reload. */
public class TlsPolicyTest {

    private static TestPki pki;
    private static TestPki.Issued server1;
    private static TestPki.Issued server2;
    private static TestPki.Issued aliceCert;

    @BeforeClass
    public static void issue() throws Exception {
        pki = new TestPki();
        server1 = pki.issue("CN=server-one", "EC");
        server2 = pki.issue("CN=server-two", "EC");
        aliceCert = pki.issue("CN=alice,O=Wharf Test", "EC");
    }

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    private FTPSClient client;

    @After
    public void closeClient() {
        if (client != null) {
            Clients.close(client);
        }
    }

    private static TestServer serverWith(java.util.function.Consumer<ListenerSettings.Builder> settings) {
        return new TestServer(settings);
    }

    private static void withTls(ListenerSettings.Builder s, TlsRequirement required, boolean dataImplicit,
            SessionReuse reuse) {
        s.tlsRequired(required).dataImplicitSsl(dataImplicit).tlsSessionReuse(reuse);
    }

    private static SSLContext trustAll(String provider, javax.net.ssl.KeyManager[] keys) throws Exception {
        SSLContext ctx = provider == null ? SSLContext.getInstance("TLS")
                : SSLContext.getInstance("TLS", new BouncyCastleJsseProvider());
        ctx.init(keys, new TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, new SecureRandom());
        return ctx;
    }

    @Test
    public void controlRequirementRefusesLoginBeforeAuth() throws Throwable {
        TestServer server = serverWith(s -> withTls(s, TlsRequirement.CONTROL, false,
                SessionReuse.REQUIRED));
        server.during(() -> {
            try (RawClient raw = new RawClient(server.port())) {
                raw.expect("220");
                raw.send("USER alice");
                raw.expect("530");
            }
            client = Clients.tls(server, false, "alice");
            assertEquals(200, client.sendCommand("PROT", "C")); // control only: clear data still allowed
        });
    }

    @Test
    public void allRequirementRefusesClearData() throws Throwable {
        TestServer server = serverWith(s -> withTls(s, TlsRequirement.ALL, false, SessionReuse.REQUIRED));
        server.during(() -> {
            client = Clients.tls(server, false, "alice");
            assertEquals(534, client.sendCommand("PROT", "C"));
            FTPSClient other = Clients.tls(server, false, null);
            try {
                assertTrue(other.login("bob", TestServer.PASSWORD));
                other.enterLocalPassiveMode();
                assertEquals(229, other.sendCommand("EPSV"));
                assertEquals(521, other.sendCommand("LIST")); // no PROT P yet
            } finally {
                Clients.close(other);
            }
        });
    }

    @Test
    public void aUserCanTightenButNotLoosenTheListener() throws Throwable {
        TestServer server = new TestServer();
        server.during(() -> {
            server.putUser(UserAccount.builder("alice", server.aliceHome()).writable(true)
                    .tlsRequired(TlsRequirement.ALL).build());
            try (RawClient raw = new RawClient(server.port())) {
                raw.expect("220");
                raw.send("USER alice");
                raw.expect("530");
                raw.send("USER bob");
                raw.expect("331"); // bob has no requirement of his own
            }
            client = Clients.tls(server, false, "alice");
            assertEquals(534, client.sendCommand("PROT", "C"));
        });
        TestServer strict = serverWith(s -> withTls(s, TlsRequirement.CONTROL, false,
                SessionReuse.REQUIRED));
        strict.during(() -> {
            strict.putUser(UserAccount.builder("bob", strict.bobHome()).tlsRequired(TlsRequirement.NONE).build());
            try (RawClient raw = new RawClient(strict.port())) {
                raw.expect("220");
                raw.send("USER bob");
                raw.expect("530");
            }
        });
    }

    private TestServer clientCertServer(ClientAuth auth) throws Exception {
        Path trust = pki.truststore(temp.newFile("trust.p12").toPath());
        return new TestServer().tls(dir -> {
            try {
                return pki.withClientAuth(pki.pem(dir, "srv", server1), trust, auth);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private FTPSClient certClient(TestServer server, TestPki.Issued cert) throws Exception {
        FTPSClient c = new FTPSClient("TLS", false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        if (cert != null) {
            c.setKeyManager(pki.clientKeyManagers(cert)[0]);
        }
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", server.port());
        return c;
    }

    @Test
    public void aClientCertificateAloneLogsInWhenTheUserSaysSo() throws Throwable {
        TestServer server = clientCertServer(ClientAuth.WANT);
        server.during(() -> {
            server.putUser(UserAccount.builder("alice", server.aliceHome()).writable(true)
                    .certificate(new X500Principal("CN=alice, O=Wharf Test"), UserAccount.CertificateLogin.CERTIFICATE)
                    .build());
            client = certClient(server, aliceCert);
            assertEquals(230, client.sendCommand("USER", "alice"));
            client.execPBSZ(0);
            client.execPROT("P");
            client.enterLocalPassiveMode();
            assertTrue(client.storeFile("c.txt", new ByteArrayInputStream(new byte[] {1})));
            // Without a certificate, the password still works.
            FTPSClient plain = certClient(server, null);
            try {
                assertTrue(plain.login("alice", TestServer.PASSWORD));
            } finally {
                Clients.close(plain);
            }
        });
    }

    @Test
    public void certificateAndPasswordAreBothNeededWhenTheUserSaysSo() throws Throwable {
        TestServer server = clientCertServer(ClientAuth.WANT);
        server.during(() -> {
            server.putUser(UserAccount.builder("alice", server.aliceHome())
                    .certificate(new X500Principal("CN=alice,O=Wharf Test"),
                            UserAccount.CertificateLogin.CERTIFICATE_AND_PASSWORD).build());
            client = certClient(server, aliceCert);
            assertEquals(331, client.sendCommand("USER", "alice"));
            assertEquals(230, client.sendCommand("PASS", TestServer.PASSWORD));
            FTPSClient noCert = certClient(server, null);
            try {
                assertFalse(noCert.login("alice", TestServer.PASSWORD));
                assertEquals(530, noCert.getReplyCode());
            } finally {
                Clients.close(noCert);
            }
        });
    }

    @Test
    public void neededClientCertificatesApplyToDataConnectionsToo() throws Throwable {
        TestServer server = clientCertServer(ClientAuth.NEED);
        server.during(() -> {
            client = certClient(server, aliceCert);
            assertTrue(client.login("alice", TestServer.PASSWORD));
            client.execPBSZ(0);
            client.execPROT("P");
            client.enterLocalPassiveMode();
            byte[] data = new byte[50_000];
            assertTrue(client.storeFile("n.bin", new ByteArrayInputStream(data)));
            client.enterLocalActiveMode();
            client.setActiveExternalIPAddress("127.0.0.1");
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            assertTrue(client.retrieveFile("n.bin", back));
            assertArrayEquals(data, back.toByteArray());
            FTPSClient noCert = new FTPSClient("TLS", false);
            noCert.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
            noCert.setDefaultTimeout(10_000);
            try {
                // With TLS 1.3 the client learns of the refusal at its first read after the handshake.
                noCert.connect("127.0.0.1", server.port());
                noCert.login("alice", TestServer.PASSWORD);
                org.junit.Assert.fail("a client without a certificate must be refused");
            } catch (java.io.IOException expected) {
                // refused during the handshake
            } finally {
                Clients.close(noCert);
            }
        });
    }

    @Test
    public void aDataConnectionThatNeverStartsItsHandshakeIsTimedOut() throws Throwable {
        TestServer server = serverWith(s -> s.dataTimeoutSeconds(2));
        server.during(() -> {
            server.write("d.bin", new byte[] {1, 2, 3, 4});
            String reply = retrOverASilentDataConnection(server);
            assertTrue(reply, reply.contains("no TLS handshake within the data timeout"));
        });
    }

    /**
     * RETR d.bin with PROT P over a data connection that never sends its ClientHello: the server's handshake waits
     * and its watchdog ends the wait with a 425, which this returns; the data connection is closed and the control
     * session goes on.
     */
    private static String retrOverASilentDataConnection(TestServer server) throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.expect("220");
            raw.startTls(trustAll(null, null));
            raw.login("alice");
            raw.protectData();
            int port = raw.epsv();
            raw.send("RETR d.bin");
            String reply;
            try (Socket silent = new Socket("127.0.0.1", port)) {
                raw.expect("150");
                reply = raw.expect("425");
                assertEquals(-1, silent.getInputStream().read());
            }
            raw.send("NOOP");
            raw.expect("200");
            return reply;
        }
    }

    /**
     * A client that drops its connection in the middle of a handshake (control or data) is bad input: Wharf logs
     * one line for it. (BouncyCastle's own internal_error warning with a stack trace is the runtime's to quiet: the
     * launcher does, see HostileClientsIT.)
     */
    @Test
    public void aHandshakeBrokenOffByTheClientIsOneLineInWharfsLog() throws Throwable {
        TestServer server = serverWith(s -> s.dataTimeoutSeconds(2));
        List<String> wharfLines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                wharfLines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger wharf = Logger.getLogger("dev.wharf");
        wharf.addHandler(capture);
        try {
            server.during(() -> {
                server.write("d.bin", new byte[] {1, 2, 3, 4});
                // control: AUTH TLS, then half a ClientHello, then gone
                try (RawClient raw = new RawClient(server.port())) {
                    raw.expect("220");
                    raw.send("AUTH TLS");
                    raw.expect("234");
                    raw.sendBytes(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00});
                }
                // data: the watchdog ends a handshake that never starts
                retrOverASilentDataConnection(server);
                // the server goes on
                try (RawClient raw = new RawClient(server.port())) {
                    raw.expect("220");
                    raw.startTls(trustAll(null, null));
                    raw.login("alice");
                }
            });
        } finally {
            wharf.removeHandler(capture);
        }
        assertEquals("one line for the failed handshake, not two: " + wharfLines, 1,
                wharfLines.stream().filter(l -> l.startsWith("TLS handshake")).count());
        assertTrue("Wharf's log: " + wharfLines,
                wharfLines.stream().anyMatch(l -> l.startsWith("TLS handshake after AUTH")
                && l.endsWith("failed: the client closed the connection during the handshake")));
    }

    /** The control connection's read timeout (its idle timeout, reading on during a transfer) leaves TLS intact. */
    @Test
    public void aCommandSplitByTheIdleTimeoutDuringATransferIsReadWholeOverTls() throws Throwable {
        TestServer server = serverWith(s -> s.tlsRequired(TlsRequirement.CONTROL).idleTimeoutSeconds(1));
        server.during(() -> {
            try (RawClient raw = new RawClient(server.port())) {
                raw.expect("220");
                raw.startTls(trustAll(null, null));
                raw.login("alice");
                raw.send("TYPE I");
                raw.expect("200");
                int port = raw.epsv();
                raw.send("STOR slow.bin");
                try (Socket data = new Socket("127.0.0.1", port)) {
                    raw.expect("150");
                    raw.sendBytes("NO".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // a record of its own
                    for (int i = 0; i < 10; i++) {
                        data.getOutputStream().write(new byte[100]);
                        Thread.sleep(250);
                    }
                    raw.sendBytes("OP\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    raw.expect("200");
                }
                raw.expect("226");
                raw.send("NOOP");
                raw.expect("200");
            }
            assertEquals(1000, java.nio.file.Files.size(server.aliceHome().resolve("slow.bin")));
        });
    }

    @Test
    public void implicitDataTlsNeedsNoProtP() throws Throwable {
        TestServer server = serverWith(s -> withTls(s, TlsRequirement.NONE, true, SessionReuse.REQUIRED));
        server.during(() -> {
            server.write("d.bin", new byte[] {1, 2, 3, 4});
            try (RawClient raw = new RawClient(server.port())) {
                raw.expect("220");
                raw.startTls(trustAll(null, null));
                raw.login("alice");
                raw.send("TYPE I");
                raw.expect("200");
                int port = raw.epsv();
                raw.send("RETR d.bin"); // no PBSZ, no PROT: the DartFTP/PowerTCP case
                try (Socket plain = new Socket("127.0.0.1", port)) {
                    raw.expect("150");
                    SSLSocket data = (SSLSocket) trustAll(null, null).getSocketFactory()
                            .createSocket(plain, "127.0.0.1", port, true);
                    assertArrayEquals(new byte[] {1, 2, 3, 4}, data.getInputStream().readAllBytes());
                }
                raw.expect("226");
                raw.send("PBSZ 0");
                raw.expect("200");
                raw.send("PROT C");
                raw.expect("534");
                raw.send("PROT P"); // FileZilla-style clients send it anyway
                raw.expect("200");
            }
        });
    }

    @Test
    public void dataConnectionsCanUseTheirOwnTlsConfiguration() throws Throwable {
        TestServer server = new TestServer()
                .tls(dir -> pem(dir, "control", server1))
                .dataTls(dir -> pem(dir, "data", server2));
        server.during(() -> {
            server.write("d.bin", new byte[] {9});
            try (RawClient raw = new RawClient(server.port())) {
                raw.expect("220");
                SSLSocket control = raw.startTls(trustAll(null, null), "TLSv1.2");
                assertEquals("CN=server-one", subject(control));
                raw.login("alice");
                raw.protectData();
                int port = raw.epsv();
                raw.send("RETR d.bin");
                try (Socket plain = new Socket("127.0.0.1", port)) {
                    raw.expect("150");
                    SSLSocket data = (SSLSocket) trustAll(null, null).getSocketFactory()
                            .createSocket(plain, "127.0.0.1", port, true);
                    data.startHandshake();
                    // Another context: no resumption is possible, so the reuse check does not apply.
                    assertEquals("CN=server-two", subject(data));
                    assertEquals(1, data.getInputStream().readAllBytes().length);
                }
                raw.expect("226");
            }
        });
    }

    @Test
    public void aTls12ClientThatResumesPassesRequiredReuse() throws Throwable {
        TestServer server = new TestServer();
        server.during(() -> {
            server.write("r.bin", new byte[] {5, 6});
            SSLContext bc = trustAll("BCJSSE", null);
            try (RawClient raw = new RawClient(server.port())) {
                raw.expect("220");
                SSLSocket control = raw.startTls(bc, "TLSv1.2");
                raw.login("alice");
                raw.protectData();
                raw.send("TYPE I");
                raw.expect("200");
                int port = raw.epsv();
                raw.send("RETR r.bin");
                try (Socket plain = new Socket("127.0.0.1", port)) {
                    raw.expect("150");
                    SSLSocket data = (SSLSocket) bc.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
                    data.setEnabledProtocols(new String[] {"TLSv1.2"});
                    ((BCSSLSocket) data).setBCSessionToResume(((BCSSLSocket) control).getBCSession());
                    data.startHandshake();
                    assertArrayEquals(control.getSession().getId(), data.getSession().getId());
                    assertArrayEquals(new byte[] {5, 6}, data.getInputStream().readAllBytes());
                }
                raw.expect("226");
            }
        });
    }

    @Test
    public void rsaCertificatesServeTls13AndTls12() throws Throwable {
        TestPki.Issued rsa = pki.issue("CN=rsa-server", "RSA");
        TestServer server = new TestServer().tls(dir -> pem(dir, "rsa", rsa));
        server.during(() -> {
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                try (RawClient raw = new RawClient(server.port())) {
                    raw.expect("220");
                    SSLSocket s = raw.startTls(trustAll(null, null), protocol);
                    assertEquals(protocol, s.getSession().getProtocol());
                    assertEquals("CN=rsa-server", subject(s));
                    raw.login("alice");
                }
            }
        });
    }

    /**
     * The server's order of suites decides, not the client's: by default AES-128-GCM before AES-256-GCM (as cheap
     * for both ends and as safe), and a configured {@code cipher.suites} in the order it is written. The clients
     * here prefer the other suite, as OpenSSL's and the JDK's clients prefer AES-256.
     */
    @Test
    public void theServersOrderOfSuitesDecides() throws Throwable {
        TestServer byDefault = new TestServer().tls(dir -> pem(dir, "srv", server1));
        byDefault.during(() -> {
            byDefault.write("p.bin", new byte[] {1});
            SSLContext jdk = trustAll(null, null);
            try (RawClient raw = new RawClient(byDefault.port())) {
                raw.expect("220");
                SSLSocket control = raw.startTlsOffering(jdk, "TLSv1.3", "TLS_AES_256_GCM_SHA384",
                        "TLS_AES_128_GCM_SHA256");
                assertEquals("TLS_AES_128_GCM_SHA256", control.getSession().getCipherSuite());
                raw.login("alice");
                SSLSession data = retrieveOneByte(raw, jdk, tls -> {
                    tls.setEnabledProtocols(new String[] {"TLSv1.3"});
                    tls.setEnabledCipherSuites(new String[] {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"});
                });
                assertEquals("TLS_AES_128_GCM_SHA256", data.getCipherSuite());
            }
            try (RawClient raw = new RawClient(byDefault.port())) {
                raw.expect("220");
                SSLSocket control = raw.startTlsOffering(jdk, "TLSv1.2",
                        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
                assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", control.getSession().getCipherSuite());
            }
        });
        TestServer configured = new TestServer().tls(dir -> {
            TlsSpec s = pem(dir, "srv", server1);
            return new TlsSpec(s.name(), null, null, null, null, null, s.certificate(), s.privateKey(), null, null,
                    null, ClientAuth.NONE, List.of("TLSv1.3"),
                    List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"), false, null);
        });
        configured.during(() -> {
            try (RawClient raw = new RawClient(configured.port())) {
                raw.expect("220");
                SSLSocket control = raw.startTlsOffering(trustAll(null, null), "TLSv1.3", "TLS_AES_128_GCM_SHA256",
                        "TLS_AES_256_GCM_SHA384");
                assertEquals("TLS_AES_256_GCM_SHA384", control.getSession().getCipherSuite());
            }
        });
    }

    /**
     * The large records Wharf sends under AES-GCM are its own encryption (GcmRecordEncoder): long replies must stay
     * readable after TLS 1.3 KeyUpdates that ask the server to change its keys too (the JDK sends one when an
     * established TLS 1.3 socket is asked for a handshake), and a file of many records must arrive intact with each
     * key size on TLS 1.3 and TLS 1.2.
     */
    @Test
    public void sentRecordsStayReadableAcrossKeyUpdatesProtocolsAndKeySizes() throws Throwable {
        TestServer server = new TestServer().tls(dir -> pem(dir, "srv", server1));
        server.during(() -> {
            byte[] file = new byte[300_000]; // 19 full records and a short one
            new SecureRandom().nextBytes(file);
            server.write("many-records.bin", file);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 200; i++) { // a STAT reply of about 20 KB: a full record and a short one
                names.add("entry-" + i + "-of-a-directory-whose-status-needs-more-than-one-record");
                server.write("listing/" + names.get(i), new byte[] {1});
            }
            SSLContext jdk = trustAll(null, null);
            try (RawClient raw = new RawClient(server.port())) {
                raw.expect("220");
                SSLSocket control = raw.startTls(jdk, "TLSv1.3");
                raw.login("alice");
                assertListed(raw, names);
                for (int update = 0; update < 3; update++) {
                    control.startHandshake(); // a KeyUpdate that asks the server to update its keys too
                    raw.send("NOOP");
                    raw.expect("200");
                    assertListed(raw, names);
                }
                Download download = retrieve(raw, jdk, "many-records.bin", tls -> { });
                assertEquals("TLSv1.3", download.session().getProtocol());
                assertArrayEquals(file, download.bytes());
            }
            for (String suite : List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384")) {
                try (RawClient raw = new RawClient(server.port())) {
                    raw.expect("220");
                    raw.startTlsOffering(jdk, "TLSv1.3", suite);
                    raw.login("alice");
                    Download download = retrieve(raw, jdk, "many-records.bin",
                            tls -> tls.setEnabledCipherSuites(new String[] {suite}));
                    assertEquals(suite, download.session().getCipherSuite());
                    assertArrayEquals(suite, file, download.bytes());
                }
            }
            SSLContext bc = trustAll("BCJSSE", null); // resumes its TLS 1.2 session on the data connection
            for (String suite : List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")) {
                try (RawClient raw = new RawClient(server.port())) {
                    raw.expect("220");
                    SSLSocket control = raw.startTlsOffering(bc, "TLSv1.2", suite);
                    raw.login("alice");
                    Download download = retrieve(raw, bc, "many-records.bin", tls -> {
                        tls.setEnabledProtocols(new String[] {"TLSv1.2"});
                        tls.setEnabledCipherSuites(new String[] {suite});
                        ((BCSSLSocket) tls).setBCSessionToResume(((BCSSLSocket) control).getBCSession());
                    });
                    assertEquals("TLSv1.2", download.session().getProtocol());
                    assertEquals(suite, download.session().getCipherSuite());
                    assertArrayEquals(suite, file, download.bytes());
                }
            }
        });
    }

    /** A long STAT reply on the control connection, its full records sent with the keys of the moment. */
    private static void assertListed(RawClient raw, List<String> names) throws IOException {
        raw.send("STAT listing");
        String status = raw.replyText();
        assertTrue(status, status.startsWith("212-") && status.endsWith("212 End of status."));
        for (String name : names) {
            assertTrue(name, status.contains(name));
        }
    }

    @Test
    public void configuredProtocolsAndSuitesApplyToDataConnectionsToo() throws Throwable {
        TestServer server = new TestServer().tls(dir -> {
            TlsSpec s = pem(dir, "srv", server1);
            return new TlsSpec(s.name(), null, null, null, null, null, s.certificate(), s.privateKey(), null, null,
                    null,
                    ClientAuth.NONE, java.util.List.of("TLSv1.2"),
                    java.util.List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), false, null);
        });
        server.during(() -> {
            server.write("p.bin", new byte[] {1});
            SSLContext bc = trustAll("BCJSSE", null);
            try (RawClient raw = new RawClient(server.port())) {
                raw.expect("220");
                SSLSocket control = raw.startTls(bc);
                assertEquals("TLSv1.2", control.getSession().getProtocol());
                assertEquals("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", control.getSession().getCipherSuite());
                raw.login("alice");
                SSLSession data = retrieveOneByte(raw, bc,
                        tls -> ((BCSSLSocket) tls).setBCSessionToResume(((BCSSLSocket) control).getBCSession()));
                assertEquals("TLSv1.2", data.getProtocol());
                assertEquals("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", data.getCipherSuite());
            }
            try (RawClient raw = new RawClient(server.port())) {
                raw.expect("220");
                raw.startTls(trustAll(null, null), "TLSv1.3");
                org.junit.Assert.fail("TLS 1.3 must be refused when only TLSv1.2 is configured");
            } catch (java.io.IOException expected) {
                // handshake refused
            }
        });
    }

    @Test
    public void rsaClientCertificatesAreVerifiedOnTls13() throws Throwable {
        TestPki.Issued rsaServer = pki.issue("CN=rsa-server", "RSA");
        TestPki.Issued rsaClient = pki.issue("CN=rsa-client", "RSA");
        Path trust = pki.truststore(temp.newFile("rsa-trust.p12").toPath());
        TestServer server = new TestServer().tls(dir -> pki.withClientAuth(pem(dir, "rsa", rsaServer), trust,
                ClientAuth.NEED));
        server.during(() -> {
            try (RawClient raw = new RawClient(server.port())) {
                raw.expect("220");
                SSLSocket s = raw.startTls(trustAll(null, pki.clientKeyManagers(rsaClient)), "TLSv1.3");
                assertEquals("TLSv1.3", s.getSession().getProtocol());
                raw.login("alice");
            }
        });
    }

    /** (That changed files that cannot be used leave the previous material is ReloadingSslConfigurationTest's.) */
    @Test
    public void newSessionsGetReloadedKeyMaterialWhileRunningSessionsKeepTheirs() throws Throwable {
        Path[] tlsDir = new Path[1];
        TestServer server = new TestServer().tls(dir -> {
            tlsDir[0] = dir;
            return pem(dir, "srv", server1);
        });
        server.during(() -> {
            client = Clients.tls(server, false, "alice");
            pem(tlsDir[0], "srv", server2);
            bumpTimes(tlsDir[0]);
            long deadline = System.nanoTime() + 5_000_000_000L; // the files are checked at most once a second
            String subject = handshakeSubject(server);
            while (!subject.equals("CN=server-two") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                subject = handshakeSubject(server);
            }
            assertEquals("CN=server-two", subject);
            assertEquals(200, client.sendCommand("NOOP")); // the running session is untouched
        });
    }

    private static void bumpTimes(Path dir) throws Exception {
        FileTime later = FileTime.fromMillis(System.currentTimeMillis() + 5000);
        for (String f : new String[] {"srv.crt", "srv.key"}) {
            Files.setLastModifiedTime(dir.resolve(f), later);
        }
    }

    private static String handshakeSubject(TestServer server) throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.expect("220");
            return subject(raw.startTls(trustAll(null, null)));
        }
    }

    private static String subject(SSLSocket s) throws Exception {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    /**
     * Retrieves {@code p.bin} (one byte) over a protected passive data connection that {@code prepare} sets up
     * before its handshake; returns the data connection's TLS session.
     */
    private static SSLSession retrieveOneByte(RawClient raw, SSLContext context,
            java.util.function.Consumer<SSLSocket> prepare) throws Exception {
        Download download = retrieve(raw, context, "p.bin", prepare);
        assertEquals(1, download.bytes().length);
        return download.session();
    }

    private record Download(SSLSession session, byte[] bytes) {
    }

    /** A binary RETR over a protected passive data connection, the TLS socket prepared before its handshake. */
    private static Download retrieve(RawClient raw, SSLContext context, String name,
            java.util.function.Consumer<SSLSocket> prepare) throws Exception {
        raw.send("TYPE I");
        raw.expect("200");
        raw.protectData();
        int port = raw.epsv();
        raw.send("RETR " + name);
        Download download;
        try (Socket plain = new Socket("127.0.0.1", port)) {
            raw.expect("150");
            SSLSocket data = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            prepare.accept(data);
            data.startHandshake();
            download = new Download(data.getSession(), data.getInputStream().readAllBytes());
        }
        raw.expect("226");
        return download;
    }

    private static TlsSpec pem(Path dir, String name, TestPki.Issued issued) {
        try {
            return pki.pem(dir, name, issued);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
