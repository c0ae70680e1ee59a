package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static dev.wharf.launcher.LauncherProcess.USER;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Operating the running launcher through its etc/ files, as an operator does: a 100 MB download goes on while
 * max.connections changes, and completes on the old socket within stop.grace while a new port is bound; deleting a
 * user's file ends the user's session; and the Prometheus JMX exporter, as a Java agent in JAVA_OPTS, serves the
 * listener's counters to curl.
 */
public class OperationsIT {

    private static final String PASSWORD = "Operator-pass-1";
    private static final int SIZE = 100 * 1024 * 1024;
    /** Bytes per second the slow client reads: the 100 MB take about 5 s, longer than a change takes to apply. */
    private static final int READ_RATE = 20 * 1024 * 1024;

    private LauncherProcess wharf;
    private int port;
    private Path home;

    @Before
    public void unpack() throws Exception {
        wharf = LauncherProcess.copyOfDistribution("operations");
        wharf.base(wharf.home().resolve("instance"));
        port = LauncherProcess.freePort();
        wharf.editConfig(LISTENER, "default", "host", "127.0.0.1", "port", Integer.toString(port));
        wharf.deleteConfig(LISTENER, "implicit");
        home = Files.createDirectories(wharf.base().resolve("ftp/olga"));
        // Stored as a hash already: the hash written back over a clear-text password is FileInstall rewriting the
        // file in place, which another test covers; here it would only add a moment where the user is unknown.
        wharf.writeConfig(USER, "olga", "password", FirstUser.hash(PASSWORD.toCharArray()), "home", home.toString(),
                "write", "true");
    }

    private void start() throws Exception {
        wharf.start();
        wharf.awaitFtp(port, false, true, "olga", PASSWORD, Duration.ofSeconds(60));
    }

    @After
    public void stop() throws Exception {
        if (wharf != null) {
            wharf.close();
        }
    }

    /**
     * max.connections lowered to 1 while a 100 MB download runs: the change is applied to the running listener
     * (a second connection gets 421 at once), and the download completes with 226 and every byte.
     */
    @Test
    public void changingMaxConnectionsDuringA100MbDownloadDoesNotInterruptIt() throws Exception {
        byte[] digest = bigFile();
        start();
        FTPSClient c = client(port);
        try (InputStream in = c.retrieveFileStream("big.bin")) {
            assertNotNull(c.getReplyString(), in);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long read = readSlowly(in, sha, SIZE / 10);
            wharf.editConfig(LISTENER, "default", "max.connections", "1");
            wharf.awaitLog(Pattern.compile("listener 'default': max.connections applied to the running listener"),
                    Duration.ofSeconds(15));
            try (Socket second = new Socket("127.0.0.1", port)) {
                second.setSoTimeout(10_000);
                String reply = firstLine(second.getInputStream());
                assertTrue("a second connection while one runs: " + reply, reply.startsWith("421"));
            }
            read += readSlowly(in, sha, Long.MAX_VALUE);
            assertEquals(SIZE, read);
            assertArrayEquals("the downloaded bytes", digest, sha.digest());
        }
        assertTrue("226 after the change: " + c.getReplyString(), c.completePendingCommand());
        assertTrue(c.sendNoOp());
        c.disconnect();
        assertTrue("no rebind for max.connections: " + wharf.stderr(), !wharf.stderr().contains("rebound"));
    }

    /**
     * A new port: the listener rebinds at once (the new port serves while the old download runs), and the running
     * download completes on the old control connection within stop.grace; the session then gets 421.
     */
    @Test
    public void changingThePortRebindsAndTheRunningDownloadCompletesWithinTheGrace() throws Exception {
        byte[] digest = bigFile();
        start();
        FTPSClient c = client(port);
        int newPort = LauncherProcess.freePort();
        try (InputStream in = c.retrieveFileStream("big.bin")) {
            assertNotNull(c.getReplyString(), in);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long read = readSlowly(in, sha, SIZE / 10);
            wharf.editConfig(LISTENER, "default", "port", Integer.toString(newPort), "stop.grace", "60");
            wharf.awaitFtp(newPort, false, true, "olga", PASSWORD, Duration.ofSeconds(20));
            assertTrue("the new port serves while the old download runs", read < SIZE);
            wharf.awaitClosed(port, Duration.ofSeconds(5));
            read += readSlowly(in, sha, Long.MAX_VALUE);
            assertEquals(SIZE, read);
            assertArrayEquals("the downloaded bytes", digest, sha.digest());
        }
        assertTrue("226 after the rebind: " + c.getReplyString(), c.completePendingCommand());
        wharf.awaitLog(Pattern.compile("sessions of the old socket finish within 60 s \\(stop.grace\\)"),
                Duration.ofSeconds(5));
        assertEquals("after its transfer the old session ends with 421", 421, nextReply(c));
    }

    /** Disabling a user, and then deleting the user's configuration file, each end the user's running session. */
    @Test
    public void disablingOrDeletingAUserEndsTheUsersSession() throws Exception {
        start();
        FTPSClient c = client(port);
        assertTrue(c.sendNoOp());
        wharf.editConfig(USER, "olga", "enabled", "false");
        wharf.awaitLog(Pattern.compile("user 'olga' disabled: 1 of the user's sessions ended"), Duration.ofSeconds(15));
        assertEquals(421, nextReply(c));

        wharf.editConfig(USER, "olga", "enabled", "true");
        wharf.awaitFtp(port, false, true, "olga", PASSWORD, Duration.ofSeconds(20));
        c = client(port);
        assertTrue(c.sendNoOp());
        wharf.deleteConfig(USER, "olga");
        wharf.awaitLog(Pattern.compile("user 'olga' removed: 1 of the user's sessions ended"), Duration.ofSeconds(15));
        assertEquals(421, nextReply(c));
    }

    /** The reply to a NOOP; 421 when the server had ended the session with it (commons-net throws then). */
    private static int nextReply(FTPSClient c) throws IOException {
        c.setSoTimeout(20_000);
        try {
            return c.noop();
        } catch (org.apache.commons.net.ftp.FTPConnectionClosedException closed) {
            assertTrue("the connection ended with 421: " + closed.getMessage(), closed.getMessage().contains("421"));
            return 421;
        }
    }

    /**
     * A served certificate that expires within expiry.warning.days (30 by default) is a WARNING at start naming the
     * configuration, the certificate and the file.
     */
    @Test
    public void aCertificateNearItsEndIsAWarningAtStart() throws Exception {
        Path dir = Files.createDirectories(wharf.base().resolve("pki"));
        Path cert = dir.resolve("soon.crt");
        Path key = dir.resolve("soon.key");
        Clients.Result made = Clients.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-days", "10", "-subj", "/CN=soon.test", "-keyout", key.toString(), "-out", cert.toString());
        assertTrue(made.toString(), made.ok());
        Path ssl = wharf.writeConfig(LauncherProcess.SSL, "default", "certificate", cert.toString(), "private.key",
                key.toString());
        start();
        wharf.awaitLog(Pattern.compile("WARNING .*TLS configuration 'default': certificate 'CN=soon\\.test' expires on "
                + "\\S+, in (9|10) days; renew it \\(" + Pattern.quote(ssl.toString())
                + ", warned from expiry.warning.days = 30 days before\\)"), Duration.ofSeconds(30));
    }

    /**
     * The README's path to Prometheus: bin/wharf with the exporter agent in JAVA_OPTS and the shipped
     * etc/prometheus-jmx.yaml; after a login, a wrong password and a 1000-byte upload, curl reads the counters.
     */
    @Test
    public void thePrometheusExporterServesTheListenerCounters() throws Exception {
        Path agent = Path.of(System.getProperty("wharf.it.jmxExporter"));
        assertTrue("the exporter agent from Maven Central: " + agent, Files.isRegularFile(agent));
        int metricsPort = LauncherProcess.freePort();
        wharf.javaOpts("-javaagent:" + agent + "=127.0.0.1:" + metricsPort + ":"
                + wharf.home().resolve("etc/prometheus-jmx.yaml"));
        start(); // awaitFtp logged in once
        FTPSClient c = client(port);
        assertTrue(c.storeFile("up.bin", new ByteArrayInputStream(new byte[1000])));
        c.logout();
        c.disconnect();
        FTPSClient wrong = client(port, "wrong-password");
        wrong.disconnect();

        String url = "http://127.0.0.1:" + metricsPort + "/metrics";
        String[] metrics = {""};
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        do {
            Clients.Result r = Clients.curl("-s", url);
            metrics[0] = r.out();
            if (value(metrics[0], "wharf_listener_bytesin") == 1000 && value(metrics[0],
                    "wharf_listener_loginsfailedwrongpassword") == 1) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < end);
        assertEquals(metrics[0], 1000, value(metrics[0], "wharf_listener_bytesin"));
        assertEquals(metrics[0], 2, value(metrics[0], "wharf_listener_loginssucceeded"));
        assertEquals(metrics[0], 1, value(metrics[0], "wharf_listener_loginsfailedwrongpassword"));
        assertEquals(metrics[0], 1, value(metrics[0], "wharf_listener_transferscompleted"));
        assertTrue(metrics[0], value(metrics[0], "wharf_listener_connectionsaccepted") >= 3);
        assertTrue(metrics[0], value(metrics[0], "wharf_tls_certificateexpiresindays") > 300);
    }

    /** The value of the metric for listener "default" (or TLS configuration "default"), or -1. */
    private static long value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*\"default\"[^}]*\\} ([0-9.eE+]+)$").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    /** 100 MB of seeded random bytes in olga's home; returns their SHA-256. */
    private byte[] bigFile() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        byte[] block = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(home.resolve("big.bin"))) {
            for (int i = 0; i < SIZE / block.length; i++) {
                random.nextBytes(block);
                out.write(block);
                sha.update(block);
            }
        }
        return sha.digest();
    }

    /** Reads up to {@code limit} bytes at about READ_RATE, hashing them; returns how many were read. */
    private static long readSlowly(InputStream in, MessageDigest sha, long limit) throws Exception {
        byte[] buffer = new byte[256 * 1024];
        long read = 0;
        long start = System.nanoTime();
        while (read < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - read));
            if (n < 0) {
                break;
            }
            sha.update(buffer, 0, n);
            read += n;
            long due = start + read * 1_000_000_000L / READ_RATE;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        return read;
    }

    private static FTPSClient client(int port) throws IOException {
        return client(port, PASSWORD);
    }

    private static FTPSClient client(int port, String password) throws IOException {
        FTPSClient c = new FTPSClient("TLS", false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setDefaultTimeout(30_000);
        c.connect("127.0.0.1", port);
        c.setSoTimeout(30_000);
        boolean in = c.login("olga", password);
        if (!password.equals(PASSWORD)) {
            assertTrue("a wrong password is refused", !in);
            return c;
        }
        assertTrue("login: " + c.getReplyString(), in);
        c.execPBSZ(0);
        c.execPROT("P");
        assertTrue(c.setFileType(FTP.BINARY_FILE_TYPE));
        c.enterLocalPassiveMode();
        return c;
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int ch;
        while ((ch = in.read()) != -1 && ch != '\n') {
            b.append((char) ch);
        }
        return b.toString().trim().isEmpty() && ch == -1 ? "<closed>" : b.toString().trim();
    }
}
