package dev.wharf.launcher;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Two Wharf launchers behind a real HAProxy (Debian's package) with the PROXY protocol v2, laid out and run by the
 * distribution's {@code deploy/haproxy/run} (the repository's, as users get it): both share one storage
 * directory, the users and the certificate; each has its own address (127.0.0.2, 127.0.0.3) and passive port
 * range, and HAProxy (127.0.0.1) forwards the control ports and each instance's data ports. Clients connect from
 * 127.0.0.5, so every check can tell the client's address from HAProxy's. The instance that holds a session
 * shows in its passive port.
 *
 * <p>The last test (by name: the methods run in name order) drains instance a and stops it: its running upload
 * completes, new sessions go to b.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class LoadBalancedPairIT {

    private static final String FRONT = "127.0.0.1";
    private static final String CLIENT = "127.0.0.5";
    private static final String USER = "alice";
    private static final String PASSWORD = "pair-Pa55word";
    private static final int RANGE = 8;

    private static Path dir;
    private static Path home;
    /** The script as the distribution ships it (the repository's deploy/haproxy/run). */
    private static Path script;
    private static Process pair;
    private static Map<String, String> env;
    private static int ftpPort;
    private static int ftpsPort;
    private static int[] rangeA;
    private static int[] rangeB;

    @BeforeClass
    public static void startPair() throws Exception {
        assertTrue("HAProxy is not installed: this test needs Debian's haproxy package (apt-get install haproxy; "
                + ".ci/run installs it)", onPath("haproxy"));
        home = LauncherProcess.freshFolder("lb-install");
        LauncherProcess.unpack(home);
        script = home.resolve("deploy/haproxy/run");
        assertTrue("the distribution has no " + script, Files.isExecutable(script));
        dir = LauncherProcess.freshFolder("lb-run");
        int[] ports = distinctFreePorts(3);
        ftpPort = ports[0];
        ftpsPort = ports[1];
        rangeA = freeRange(List.of(FRONT, "127.0.0.2"));
        rangeB = freeRange(List.of(FRONT, "127.0.0.3"));
        env = Map.ofEntries(Map.entry("WHARF_HOME", home.toString()), Map.entry("FRONT", FRONT),
                Map.entry("FTP_PORT", String.valueOf(ftpPort)), Map.entry("FTPS_PORT", String.valueOf(ftpsPort)),
                Map.entry("ADMIN_PORT", String.valueOf(ports[2])),
                Map.entry("A_ADDRESS", "127.0.0.2"), Map.entry("B_ADDRESS", "127.0.0.3"),
                Map.entry("A_PASSIVE", rangeA[0] + "-" + rangeA[1]),
                Map.entry("B_PASSIVE", rangeB[0] + "-" + rangeB[1]),
                Map.entry("WHARF_USER", USER), Map.entry("WHARF_PASSWORD", PASSWORD),
                Map.entry("JAVA_HOME", System.getProperty("java.home")));
        ProcessBuilder pb = new ProcessBuilder(script.toString(), dir.toString())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(dir.resolve("run.out").toFile())
                .redirectError(dir.resolve("run.err").toFile());
        pb.environment().putAll(env);
        pb.environment().remove("JAVA_OPTS");
        pair = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!read(dir.resolve("run.out")).contains("ready:")) {
            if (!pair.isAlive() || System.nanoTime() > deadline) {
                fail("deploy/haproxy/run did not get ready\n" + diagnostics());
            }
            Thread.sleep(200);
        }
    }

    @AfterClass
    public static void stopPair() throws Exception {
        if (pair == null) {
            return;
        }
        pair.destroy(); // SIGTERM: the script stops both instances, then HAProxy
        boolean ended = pair.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            pair.destroyForcibly();
        }
        assertTrue("deploy/haproxy/run did not stop within 60 s of SIGTERM\n" + diagnostics(), ended);
        for (String pidFile : new String[] {"a/wharf.pid", "b/wharf.pid", "haproxy.pid"}) {
            String text = read(dir.resolve(pidFile)).trim();
            if (text.isEmpty()) {
                continue; // never started
            }
            long pid = Long.parseLong(text);
            assertFalse(pidFile + ": process " + pid + " outlived the script",
                    ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    /** The done-when core: PROT P upload through instance a, download through b, byte-equal. */
    @Test
    public void anUploadThroughOneInstanceIsDownloadedThroughTheOther() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(15).nextBytes(data);
        FTPSClient onA = sessionOn('a');
        FTPSClient onB = sessionOn('b');
        try {
            assertTrue(onA.getReplyString(), onA.storeFile("through-a.bin", new ByteArrayInputStream(data)));
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            assertTrue(onB.getReplyString(), onB.retrieveFile("through-a.bin", back));
            assertArrayEquals("what b serves is what a stored", data, back.toByteArray());
            Path stored = dir.resolve("storage").resolve(USER).resolve("through-a.bin");
            assertArrayEquals("one storage directory", data, Files.readAllBytes(stored));
        } finally {
            quit(onA);
            quit(onB);
        }
    }

    /** The client's address, not HAProxy's, in STAT and in each instance's log. */
    @Test
    public void statAndTheLogsShowTheClientsAddress() throws Exception {
        for (char instance : new char[] {'a', 'b'}) {
            FTPSClient c = sessionOn(instance);
            try {
                assertEquals(211, c.sendCommand("STAT"));
                assertTrue(c.getReplyString(), c.getReplyString().contains("Connected from " + CLIENT));
                assertFalse(c.getReplyString(), c.getReplyString().contains("Connected from " + FRONT));
            } finally {
                quit(c);
            }
        }
        for (char instance : new char[] {'a', 'b'}) {
            FTPSClient c = sessionOn(instance);
            try {
                assertEquals("REIN: logged out on the same instance", 220, c.sendCommand("REIN"));
                assertFalse(c.login(USER, "not-the-password"));
                assertEquals(530, c.getReplyCode());
            } finally {
                quit(c);
            }
        }
        awaitLog("a", "login failed user='" + USER + "' address=" + CLIENT + ":");
        awaitLog("b", "login failed user='" + USER + "' address=" + CLIENT + ":");
    }

    /**
     * data.ip.check behind HAProxy: the data connection HAProxy forwards for the client (with a header naming it)
     * is accepted; one HAProxy forwards for 127.0.0.6 to the same port first is refused and logged.
     */
    @Test
    public void dataAddressCheckComparesClientsNotTheBalancer() throws Exception {
        FTPSClient c = sessionOn('a');
        ThiefFirst sockets = new ThiefFirst(c);
        try {
            c.setSocketFactory(sockets); // after PROT P, which set a TLS socket factory of its own
            byte[] data = "checked on the way in\n".getBytes(StandardCharsets.US_ASCII);
            sockets.armed = true;
            boolean stored = c.storeFile("checked.txt", new ByteArrayInputStream(data));
            assertTrue(c.getReplyString(), stored);
            assertTrue("the thief's connection was made and closed by the server", sockets.thiefClosed());
            awaitLog("a", "data connection from 127.0.0.6 (through " + FRONT + ") refused: the session's client is "
                    + CLIENT);
            assertArrayEquals(data, Files.readAllBytes(dir.resolve("storage").resolve(USER).resolve("checked.txt")));
        } finally {
            quit(c);
        }
    }

    /** Around HAProxy, straight to an instance: a forged header from an untrusted address is refused. */
    @Test
    public void forgedHeaderFromAnUntrustedAddressIsRefused() throws Exception {
        int port = Integer.parseInt(env.get("FTP_PORT"));
        try (Socket forger = new Socket()) {
            forger.bind(new InetSocketAddress("127.0.0.9", 0));
            forger.connect(new InetSocketAddress("127.0.0.2", port), 5000);
            forger.setSoTimeout(10_000);
            try {
                forger.getOutputStream().write(proxyV2(CLIENT, 40000, "127.0.0.2", port));
                forger.getOutputStream().write("USER alice\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closedAlready) {
                // the server closed at once: refused all the same
            }
            assertEquals("closed without a word", -1, readOrReset(forger));
        }
        awaitLog("a", "connection from 127.0.0.9 closed: not a trusted load balancer");
        try (Socket around = new Socket()) {
            around.bind(new InetSocketAddress(CLIENT, 0));
            around.connect(new InetSocketAddress("127.0.0.3", port), 5000);
            around.setSoTimeout(10_000);
            assertEquals("no way around the balancer", -1, readOrReset(around));
        }
        awaitLog("b", "connection from " + CLIENT + " closed: not a trusted load balancer");
    }

    /** A real client, curl, over implicit FTPS through HAProxy: the header comes before the TLS handshake. */
    @Test
    public void curlOverImplicitFtpsThroughHaproxy() throws Exception {
        Path file = dir.resolve("curl-upload.txt");
        Files.writeString(file, "curl was here\n");
        Clients.Result up = Clients.run("curl", "-sS", "--fail", "-k", "--interface", CLIENT, "-u",
                USER + ":" + PASSWORD, "-T", file.toString(), "ftps://" + FRONT + ":" + ftpsPort + "/");
        assertTrue(up.toString(), up.ok());
        Clients.Result list = Clients.run("curl", "-sS", "--fail", "-k", "--interface", CLIENT, "-u",
                USER + ":" + PASSWORD, "ftps://" + FRONT + ":" + ftpsPort + "/");
        assertTrue(list.toString(), list.ok() && list.out().contains("curl-upload.txt"));
    }

    /**
     * Draining instance a (HAProxy sends it no new sessions, then it gets SIGTERM): the upload running on it
     * completes, and new sessions go to b.
     */
    @Test
    public void whileADrainsItsUploadCompletesAndNewSessionsGoToB() throws Exception {
        byte[] chunk = new byte[256 * 1024];
        new Random(16).nextBytes(chunk);
        FTPSClient onA = sessionOn('a');
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        OutputStream upload = onA.storeFileStream("during-drain.bin");
        assertTrue(onA.getReplyString(), upload != null);
        write(upload, chunk, sent);

        ProcessBuilder pb = new ProcessBuilder(script.toString(), dir.toString(), "drain", "a")
                .redirectErrorStream(true).redirectOutput(dir.resolve("drain.out").toFile());
        pb.environment().putAll(env);
        Process drain = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!read(dir.resolve("drain.out")).contains("is draining")) {
            assertTrue("no drain\n" + read(dir.resolve("drain.out")), drain.isAlive() || drain.exitValue() == 0);
            assertTrue("HAProxy was not told to drain a\n" + read(dir.resolve("drain.out")),
                    System.nanoTime() < deadline);
            Thread.sleep(50);
        }
        for (int i = 0; i < 3; i++) {
            FTPSClient fresh = connect();
            try {
                assertTrue(fresh.login(USER, PASSWORD));
                assertEquals("a new session while a drains goes to b", 'b', instanceOf(fresh));
            } finally {
                quit(fresh);
            }
        }
        for (int i = 0; i < 8; i++) { // the upload goes on for a while after the stop began
            write(upload, chunk, sent);
            Thread.sleep(150);
        }
        upload.close();
        assertTrue("the running upload completes: " + onA.getReplyString(), onA.completePendingCommand());
        quit(onA);
        assertTrue("drain ended\n" + read(dir.resolve("drain.out")), drain.waitFor(60, TimeUnit.SECONDS));
        assertEquals(read(dir.resolve("drain.out")), 0, drain.exitValue());
        assertTrue(read(dir.resolve("drain.out")), read(dir.resolve("drain.out")).contains("instance a stopped"));

        FTPSClient onB = sessionOn('b');
        try {
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            assertTrue(onB.retrieveFile("during-drain.bin", back));
            assertArrayEquals("the upload made on a while it stopped is whole, through b", sent.toByteArray(),
                    back.toByteArray());
        } finally {
            quit(onB);
        }
    }

    // ---- clients -------------------------------------------------------------------------------------------------

    /** An FTPS session from 127.0.0.5 through HAProxy, logged in with PROT P, on the named instance. */
    private static FTPSClient sessionOn(char instance) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            FTPSClient c = connect();
            assertTrue(c.getReplyString(), c.login(USER, PASSWORD));
            if (instanceOf(c) == instance) {
                c.execPBSZ(0);
                c.execPROT("P");
                assertEquals(200, c.getReplyCode());
                c.setFileType(FTP.BINARY_FILE_TYPE);
                c.enterLocalPassiveMode();
                c.setPassiveLocalIPAddress(CLIENT); // data connections from the client's address too
                return c;
            }
            quit(c);
        }
        throw new AssertionError("HAProxy never sent a session to instance " + instance);
    }

    private static FTPSClient connect() throws IOException {
        FTPSClient c = new FTPSClient("TLS", false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setDefaultTimeout(20_000);
        c.setConnectTimeout(10_000);
        c.connect(InetAddress.getByName(FRONT), ftpPort, InetAddress.getByName(CLIENT), 0);
        c.setSoTimeout(20_000);
        return c;
    }

    /** Which instance holds the session: its passive ports say (a's range or b's). */
    private static char instanceOf(FTPSClient c) throws IOException {
        assertEquals(c.getReplyString(), 227, c.pasv());
        Matcher m = Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)").matcher(c.getReplyString());
        assertTrue(c.getReplyString(), m.find());
        assertEquals("PASV announces HAProxy's address, where the client connected", FRONT,
                m.group(1) + "." + m.group(2) + "." + m.group(3) + "." + m.group(4));
        int port = Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
        if (port >= rangeA[0] && port <= rangeA[1]) {
            return 'a';
        }
        if (port >= rangeB[0] && port <= rangeB[1]) {
            return 'b';
        }
        throw new AssertionError("passive port " + port + " is in neither instance's range");
    }

    /**
     * Data sockets that, once armed, first let a "thief" from 127.0.0.6 connect to the session's passive port through
     * HAProxy, a moment before the client's own connection: the server takes the thief's first (when the transfer
     * command arrives) and must close it. The client's own sockets are TLS sockets, as PROT P has them.
     */
    private static final class ThiefFirst extends SocketFactory {
        private final FTPSClient client;
        private final SocketFactory tls;
        volatile boolean armed;
        private volatile Thread thief;
        private volatile boolean thiefClosed;

        ThiefFirst(FTPSClient client) throws Exception {
            this.client = client;
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, null);
            this.tls = context.getSocketFactory();
        }

        /** Called by the client once it knows the passive port (from PASV), to create its data socket. */
        @Override
        public Socket createSocket() throws IOException {
            if (armed) {
                armed = false;
                InetSocketAddress port = new InetSocketAddress(client.getPassiveHost(), client.getPassivePort());
                Thread t = new Thread(() -> thiefClosed = thiefRefused(port), "thief");
                thief = t;
                t.start();
                pause(300); // HAProxy forwards the thief's connection before the client's
            }
            return tls.createSocket();
        }

        /** Whether the thief's connection was closed by the server, after it had joined the other one. */
        boolean thiefClosed() throws InterruptedException {
            Thread t = thief;
            assertTrue("no thief connected", t != null);
            t.join(20_000);
            return thiefClosed;
        }

        private static boolean thiefRefused(SocketAddress endpoint) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress("127.0.0.6", 0));
                s.connect(endpoint, 10_000);
                s.setSoTimeout(15_000);
                return readOrReset(s) == -1;
            } catch (IOException e) {
                return false;
            }
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw new IOException("not used");
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            throw new IOException("not used");
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            throw new IOException("not used");
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
                throws IOException {
            throw new IOException("not used");
        }
    }

    private static void write(OutputStream out, byte[] chunk, ByteArrayOutputStream copy) throws IOException {
        out.write(chunk);
        out.flush();
        copy.write(chunk);
    }

    private static void quit(FTPSClient c) {
        try {
            if (c.isConnected()) {
                c.logout();
                c.disconnect();
            }
        } catch (IOException ignored) {
            // the test's own cleanup
        }
    }

    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    /** A PROXY v2 header for TCP over IPv4, as a forger would write it. */
    private static byte[] proxyV2(String source, int sourcePort, String destination, int destinationPort)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0, 12});
        b.put(InetAddress.getByName(source).getAddress()).put(InetAddress.getByName(destination).getAddress());
        b.putShort((short) sourcePort).putShort((short) destinationPort);
        return b.array();
    }

    // ---- the machine ---------------------------------------------------------------------------------------------

    private static void awaitLog(String instance, String text) throws InterruptedException {
        Path log = dir.resolve(instance).resolve("stderr.log");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!read(log).contains(text)) {
            if (System.nanoTime() > deadline) {
                fail("instance " + instance + " did not log '" + text + "'\n" + diagnostics());
            }
            Thread.sleep(100);
        }
    }

    /** Ports free on 127.0.0.1 to 127.0.0.3 right now, all different (each held until all are found). */
    private static int[] distinctFreePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.bind(new InetSocketAddress(FRONT, 0));
                ports[i] = s.getLocalPort();
                if (!allFree(ports[i], 1, List.of("127.0.0.2", "127.0.0.3"))) {
                    i--; // taken on an instance's address: another one
                }
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    /** A run of {@value #RANGE} ports free on every one of the addresses. */
    private static int[] freeRange(List<String> addresses) throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int from = 20_000 + random.nextInt(30_000);
            if (allFree(from, RANGE, addresses)) {
                return new int[] {from, from + RANGE - 1};
            }
        }
        throw new IOException("no run of " + RANGE + " free ports found");
    }

    private static boolean allFree(int from, int count, List<String> addresses) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int p = from; p < from + count; p++) {
                for (String a : addresses) {
                    ServerSocket s = new ServerSocket();
                    held.add(s);
                    s.bind(new InetSocketAddress(a, p));
                }
            }
            return true;
        } catch (IOException taken) {
            return false;
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // probing only
                }
            }
        }
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", program));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private static String diagnostics() {
        StringBuilder b = new StringBuilder();
        for (String f : new String[] {"run.out", "run.err", "haproxy.log", "a/stderr.log", "b/stderr.log"}) {
            String text = read(dir.resolve(f));
            b.append("--- ").append(f).append(":\n")
                    .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text).append('\n');
        }
        return b.toString();
    }
}
