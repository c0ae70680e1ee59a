package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static dev.wharf.launcher.LauncherProcess.USER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.io.CopyStreamException;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The launcher attacked the way a hostile client would: symlinks swapped under every file operation, a flood of
 * wrong passwords, user names probed by timing, clients that trickle their handshake or their commands, more
 * connections than allowed, names near the file system's limit, and a full disk. Each test prints its figures.
 *
 * <p>The listener "open" allows plain FTP and has no connection limits, so that what is measured is the file
 * layer and the password checks, not TLS; "strict" is the shipped policy with short deadlines, "limited" an
 * implicit-FTPS listener with a per-address limit.
 */
public class HostileClientsIT {

    private static final String PASSWORD = "Hostile-Pa55-1";
    private static final Duration START = Duration.ofSeconds(60);

    private static LauncherProcess wharf;
    private static int open;
    private static int strict;
    private static int strictImplicit;
    private static int limited;
    private static Path home;
    private static Path outside;
    private static Path smallDisk;
    private static boolean smallDiskMounted;

    @BeforeClass
    public static void start() throws Exception {
        wharf = LauncherProcess.copyOfDistribution("hostile");
        home = Files.createDirectories(wharf.home().resolve("ftp/mallory"));
        outside = Files.createDirectories(wharf.home().resolve("outside"));
        open = LauncherProcess.freePort();
        strict = LauncherProcess.freePort();
        strictImplicit = LauncherProcess.freePort();
        limited = LauncherProcess.freePort();
        wharf.deleteConfig(LISTENER, "implicit");
        wharf.editConfig(LISTENER, "default", "host", "127.0.0.1", "port", Integer.toString(strict),
                "login.timeout", "5", "handshake.timeout", "3", "command.timeout", "3");
        wharf.writeConfig(LISTENER, "strict-implicit", "host", "127.0.0.1", "port", Integer.toString(strictImplicit),
                "implicit.ssl", "true", "handshake.timeout", "3");
        wharf.writeConfig(LISTENER, "limited", "host", "127.0.0.1", "port", Integer.toString(limited),
                "implicit.ssl", "true", "max.connections.per.ip", "3");
        wharf.writeConfig(LISTENER, "open", "host", "127.0.0.1", "port", Integer.toString(open),
                "tls.required", "none", "max.connections", "0", "max.connections.per.ip", "0",
                "max.login.failures", "0", "login.failure.delay", "0", "login.timeout", "600", "command.timeout", "3");
        wharf.writeConfig(USER, "mallory", "password", PASSWORD, "home", home.toString(), "write", "true");
        wharf.writeConfig(USER, "crowd", "password", PASSWORD, "home", home.toString());
        smallDisk = Files.createDirectories(wharf.home().resolve("small-disk"));
        smallDiskMounted = Clients.run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", smallDisk.toString())
                .exit() == 0;
        if (smallDiskMounted) {
            wharf.writeConfig(USER, "dora", "password", PASSWORD, "home", smallDisk.resolve("dora").toString(),
                    "write", "true");
        }
        wharf.start();
        wharf.awaitFtp(strict, false, true, "mallory", PASSWORD, START);
        wharf.awaitFtp(open, false, false, null, null, START);
    }

    @AfterClass
    public static void stop() throws Exception {
        try {
            if (wharf != null) {
                wharf.close();
                // aborted handshakes, floods and deadlines are bad input: log lines, never a stack trace
                assertTrue(wharf.stderr(), !wharf.stderr().contains("\tat "));
            }
        } finally {
            if (smallDiskMounted) {
                Clients.run("umount", smallDisk.toString());
            }
        }
    }

    private static FTPClient login(String user) throws IOException {
        FTPClient c = new FTPClient();
        c.setDefaultTimeout(20_000);
        c.setConnectTimeout(5_000);
        c.connect("127.0.0.1", open);
        assertTrue(c.getReplyString(), c.login(user, PASSWORD));
        c.setFileType(FTP.BINARY_FILE_TYPE);
        c.enterLocalPassiveMode();
        return c;
    }

    // ---- 1. the symlink race ----

    /**
     * {@code race} in the user's home flips between a real directory and a link to a directory outside it while a
     * client runs every file operation through it. Nothing outside may be read, listed, measured, written, created,
     * removed, renamed, re-permitted or re-dated.
     */
    @Test
    public void swappingADirectoryForALinkNeverLetsAnOperationOut() throws Exception {
        Path race = home.resolve("race");
        Path parked = home.resolve("race-parked");
        byte[] secret = ("OUTSIDE-SECRET " + "s".repeat(99_984)).getBytes(StandardCharsets.US_ASCII);
        Files.write(outside.resolve("passwd"), secret);
        Files.writeString(outside.resolve("marker-outside"), "marker");
        Files.writeString(outside.resolve("victim"), "victim");
        Files.createDirectories(outside.resolve("victimdir"));
        Files.createDirectories(outside.resolve("sub"));
        Files.writeString(outside.resolve("sub/deep"), "OUTSIDE-SECRET deep");
        for (Path p : List.of(outside.resolve("passwd"), outside.resolve("victim"))) {
            Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        }
        String secretHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret));
        Map<String, String> before = snapshot(outside);

        Files.createDirectories(race.resolve("sub"));
        Files.createDirectories(race.resolve("victimdir"));
        Files.writeString(race.resolve("passwd"), "inside\n");
        Files.writeString(race.resolve("victim"), "inside victim");
        Files.writeString(race.resolve("sub/deep"), "inside deep");

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong swaps = new AtomicLong();
        Thread flipper = new Thread(() -> {
            while (running.get()) {
                try {
                    Files.move(race, parked, StandardCopyOption.ATOMIC_MOVE);
                    Files.createSymbolicLink(race, outside);
                    Files.delete(race);
                    Files.move(parked, race, StandardCopyOption.ATOMIC_MOVE);
                    swaps.incrementAndGet();
                } catch (IOException e) {
                    // a client's rename got in the way; try again
                }
            }
        }, "symlink-flipper");
        List<String> escapes = new CopyOnWriteArrayList<>();
        int operations = 0;
        int rounds = 150;
        FTPClient c = login("mallory");
        flipper.start();
        try {
            for (int i = 0; i < rounds; i++) {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                c.retrieveFile("race/passwd", got);
                check(escapes, "RETR", got.toString(StandardCharsets.US_ASCII).contains("OUTSIDE-SECRET"));
                got.reset();
                c.retrieveFile("race/sub/deep", got);
                check(escapes, "RETR deep", got.toString(StandardCharsets.US_ASCII).contains("OUTSIDE-SECRET"));
                c.storeFile("race/up-" + i, new ByteArrayInputStream(new byte[] {1, 2, 3}));
                c.storeFile("race/sub/up-" + i, new ByteArrayInputStream(new byte[] {1, 2, 3}));
                c.appendFile("race/passwd", new ByteArrayInputStream("+".getBytes(StandardCharsets.US_ASCII)));
                String[] names = c.listNames("race");
                check(escapes, "NLST", names != null && List.of(names).toString().contains("marker-outside"));
                FTPFile[] files = c.listFiles("race");
                check(escapes, "LIST", files != null && Stream.of(files).anyMatch(f -> f != null
                        && f.getName().contains("marker-outside")));
                FTPFile[] facts = c.mlistDir("race");
                check(escapes, "MLSD", facts != null && Stream.of(facts).anyMatch(f -> f != null
                        && f.getName().equals("marker-outside")));
                String size = c.getSize("race/passwd");
                check(escapes, "SIZE", String.valueOf(secret.length).equals(size));
                String mdtm = c.getModificationTime("race/passwd");
                check(escapes, "MDTM", mdtm != null && mdtm.startsWith("2001"));
                c.sendCommand("MLST", "race/passwd");
                check(escapes, "MLST", c.getReplyString().contains("size=" + secret.length));
                c.sendCommand("HASH", "race/passwd");
                check(escapes, "HASH", c.getReplyString().contains(secretHash));
                c.deleteFile("race/victim");
                c.removeDirectory("race/victimdir");
                c.makeDirectory("race/newdir-" + i);
                if (c.rename("race/victim", "taken-" + i)) {
                    check(escapes, "RNFR/RNTO", Files.readString(home.resolve("taken-" + i)).contains("victim")
                            && !Files.readString(home.resolve("taken-" + i)).contains("inside"));
                }
                c.sendSiteCommand("CHMOD 777 race/passwd");
                c.sendCommand("MFMT", "20200101000000 race/passwd");
                if (c.changeWorkingDirectory("race")) {
                    String[] here = c.listNames();
                    check(escapes, "CWD+NLST", here != null && List.of(here).toString().contains("marker-outside"));
                    c.changeWorkingDirectory("/");
                }
                operations += 21;
            }
        } finally {
            running.set(false);
            flipper.join(10_000);
            c.disconnect();
        }
        if (!Files.isDirectory(race, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(parked)) {
            Files.deleteIfExists(race);
            Files.move(parked, race);
        }
        Map<String, String> after = snapshot(outside);
        List<String> changed = new ArrayList<>();
        for (String name : new java.util.TreeSet<>(Stream.concat(before.keySet().stream(), after.keySet().stream())
                .toList())) {
            if (!String.valueOf(before.get(name)).equals(String.valueOf(after.get(name)))) {
                changed.add(name + ": " + before.get(name) + " -> " + after.get(name));
            }
        }
        System.out.printf("symlink race: %d operations through a directory swapped for a link %d times: %d read "
                + "escapes, %d changes outside%n", operations, swaps.get(), escapes.size(), changed.size());
        assertTrue("the flipper ran", swaps.get() > rounds);
        assertEquals("escapes: " + escapes, 0, escapes.size());
        assertEquals("changed outside the root: " + changed, List.of(), changed);
    }

    private static void check(List<String> escapes, String what, boolean escaped) {
        if (escaped) {
            escapes.add(what);
        }
    }

    /** Every file and directory below the root: its content's hash (files), permissions and modification time. */
    private static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String kind = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                out.put(root.relativize(p).toString(), kind + " " + Files.getPosixFilePermissions(p,
                        LinkOption.NOFOLLOW_LINKS) + " " + (Files.isDirectory(p) ? ""
                                : Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        return out;
    }

    // ---- 2. a flood of wrong passwords ----

    /**
     * 200 wrong passwords at once from one address: the password checks run on a few threads and one address has
     * only a share of them, the rest are refused at once, so the server's memory barely grows, a logged-in user's
     * NOOPs stay quick, and a client logging in from elsewhere meanwhile gets in.
     */
    @Test
    public void aFloodOfWrongPasswordsNeitherTakesMemoryNorSlowsLoggedInUsers() throws Exception {
        FTPClient user = login("mallory");
        long rssBefore = rssBytes();
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong rssPeak = new AtomicLong(rssBefore);
        Thread sampler = new Thread(() -> {
            while (flooding.get()) {
                rssPeak.accumulateAndGet(rssBytes(), Math::max);
                sleep(25);
            }
        });
        List<Long> noops = Collections.synchronizedList(new ArrayList<>());
        Thread pinger = new Thread(() -> {
            while (flooding.get()) {
                long t0 = System.nanoTime();
                try {
                    user.sendNoOp();
                } catch (IOException e) {
                    return;
                }
                noops.add(System.nanoTime() - t0);
                sleep(10);
            }
        });
        Map<String, AtomicInteger> replies = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> attackers = loginsWaitingFor(go, 200, "mallory", i -> "wrong-" + i, replies);
        // a real client elsewhere logs in while the flood is under way: the flooding address has only its share
        PlainDialogue elsewhere = new PlainDialogue(open, "127.0.0.3");
        elsewhere.reply();
        elsewhere.send("USER mallory");
        sampler.start();
        pinger.start();
        sleep(300); // the attackers are connected and waiting; NOOP latency before the flood
        long floodStart = System.nanoTime();
        go.countDown();
        sleep(20);
        String elsewhereReply;
        try (elsewhere) {
            elsewhereReply = elsewhere.send("PASS " + PASSWORD);
        }
        for (Thread t : attackers) {
            t.join(60_000);
        }
        long floodMillis = (System.nanoTime() - floodStart) / 1_000_000;
        flooding.set(false);
        sampler.join();
        pinger.join();
        user.disconnect();
        List<Long> sorted = new ArrayList<>(noops);
        Collections.sort(sorted);
        double p50 = sorted.get(sorted.size() / 2) / 1e6;
        double p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1e6;
        long growthMb = (rssPeak.get() - rssBefore) / (1024 * 1024);
        System.out.printf("password flood: 200 wrong passwords at once, over in %d ms: replies %s; RSS %d MB before, "
                + "peak %d MB (+%d MB); NOOP p50 %.1f ms, p99 %.1f ms over %d NOOPs; a login from elsewhere: %s%n",
                floodMillis, replies,
                rssBefore / (1024 * 1024), rssPeak.get() / (1024 * 1024), growthMb, p50, p99, sorted.size(),
                elsewhereReply);
        assertEquals("every attacker got an answer: " + replies, 200,
                replies.getOrDefault("530", new AtomicInteger()).get()
                        + replies.getOrDefault("421", new AtomicInteger()).get());
        assertTrue("RSS grew by " + growthMb + " MB", growthMb < 300);
        assertTrue("a login from another address during the flood: " + elsewhereReply,
                elsewhereReply != null && elsewhereReply.startsWith("230"));
        assertTrue("NOOP p99 " + p99 + " ms", p99 < 200);
    }

    /**
     * What the flood rules must not refuse: a tool opening 50 connections at once with one account that has not
     * logged in yet (nothing remembered), all from one address. They share one password check.
     */
    @Test
    public void fiftyConnectionsOfOneAccountAtOnceAllLogIn() throws Exception {
        Map<String, AtomicInteger> replies = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> clients = loginsWaitingFor(go, 50, "crowd", i -> PASSWORD, replies);
        sleep(300);
        go.countDown();
        for (Thread t : clients) {
            t.join(60_000);
        }
        System.out.printf("burst: 50 logins of one account at once: replies %s%n", replies);
        assertEquals("replies: " + replies, Map.of("230", 50), Map.copyOf(replies.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))));
    }

    /**
     * Clients that connect and send USER now, and PASS once {@code go} opens; each counts the reply code it got in
     * {@code replies}.
     */
    private static List<Thread> loginsWaitingFor(CountDownLatch go, int count, String user,
            java.util.function.IntFunction<String> password, Map<String, AtomicInteger> replies) {
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String pass = password.apply(i);
            Thread t = new Thread(() -> {
                String code;
                try (PlainDialogue d = new PlainDialogue(open)) {
                    d.reply();
                    d.send("USER " + user);
                    go.await();
                    String r = d.send("PASS " + pass);
                    code = r == null ? "closed" : r.substring(0, 3);
                } catch (Exception e) {
                    code = e.getClass().getSimpleName();
                }
                replies.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
            });
            clients.add(t);
            t.start();
        }
        return clients;
    }

    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + wharf.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // the process is gone: the test fails on its own
        }
        return 0;
    }

    // ---- 3. user names told apart by timing ----

    /**
     * A known user with a wrong password and a name no one has take the same time and get the same reply; the
     * difference is measured and tested (Mann-Whitney) against the spread.
     */
    @Test
    public void aWrongPasswordTakesAsLongForAnUnknownNameAsForAKnownOne() throws Exception {
        List<Double> known = new ArrayList<>();
        List<Double> unknown = new ArrayList<>();
        String knownReply = null;
        String unknownReply = null;
        try (PlainDialogue d = new PlainDialogue(open)) {
            d.reply();
            for (int i = 0; i < 50; i++) {
                boolean warmUp = i < 5;
                for (String name : List.of("mallory", "nobody-" + i)) {
                    d.send("USER " + name);
                    long t0 = System.nanoTime();
                    String r = d.send("PASS wrong-password");
                    double millis = (System.nanoTime() - t0) / 1e6;
                    if (name.equals("mallory")) {
                        knownReply = r;
                        if (!warmUp) {
                            known.add(millis);
                        }
                    } else {
                        unknownReply = r;
                        if (!warmUp) {
                            unknown.add(millis);
                        }
                    }
                }
            }
        }
        double medianKnown = median(known);
        double medianUnknown = median(unknown);
        double p = mannWhitneyP(known, unknown);
        System.out.printf("login timing: wrong password for a known user median %.2f ms, for an unknown name %.2f ms "
                + "(%d samples each), difference %.2f ms, Mann-Whitney p = %.3f%n", medianKnown, medianUnknown,
                known.size(), medianKnown - medianUnknown, p);
        assertEquals("the same reply", knownReply, unknownReply);
        assertTrue("the difference is within the noise (p = " + p + ")", p > 0.001);
        assertTrue("medians " + medianKnown + " / " + medianUnknown,
                Math.abs(medianKnown - medianUnknown) < Math.max(5, 0.15 * medianKnown));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Two-sided p of the Mann-Whitney U test, normal approximation (fine for 45 samples a side). */
    static double mannWhitneyP(List<Double> a, List<Double> b) {
        double u = 0;
        for (double x : a) {
            for (double y : b) {
                u += x > y ? 1 : x == y ? 0.5 : 0;
            }
        }
        double n1 = a.size();
        double n2 = b.size();
        double mean = n1 * n2 / 2;
        double sd = Math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12);
        double z = Math.abs(u - mean) / sd;
        return 2 * (1 - normalCdf(z));
    }

    private static double normalCdf(double z) {
        // Abramowitz and Stegun 7.1.26
        double t = 1 / (1 + 0.3275911 * z / Math.sqrt(2));
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429)))) * Math.exp(-z * z / 2);
        return 0.5 * (1 + erf);
    }

    // ---- 4. slow clients ----

    /** The first bytes of a TLS ClientHello: a record header, then a handshake header announcing more. */
    private static final byte[] CLIENT_HELLO_START = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc,
        0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

    /** A ClientHello trickled a byte a second, explicit (after AUTH TLS) and implicit: closed at the deadline. */
    @Test
    public void aTrickledTlsHandshakeIsClosedAtItsDeadline() throws Exception {
        double explicit = trickle(strict, true, CLIENT_HELLO_START);
        double implicit = trickle(strictImplicit, false, CLIENT_HELLO_START);
        System.out.printf("trickled ClientHello (a byte a second, handshake.timeout 3 s): closed after %.1f s "
                + "(explicit), %.1f s (implicit)%n", explicit, implicit);
        assertTrue("explicit: " + explicit, explicit < 6);
        assertTrue("implicit: " + implicit, implicit < 6);
    }

    /** Commands trickled a byte a second, before a login and after one: closed at the command deadline. */
    @Test
    public void aTrickledCommandIsClosedAtItsDeadline() throws Exception {
        double beforeLogin = trickle(strict, false, "USER mallory\r\n".getBytes(StandardCharsets.US_ASCII));
        double loggedIn;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", open), 5000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            readLine(in);
            out.write(("USER mallory\r\nPASS " + PASSWORD + "\r\n").getBytes(StandardCharsets.US_ASCII));
            readLine(in);
            assertTrue(readLine(in).startsWith("230"));
            loggedIn = dripUntilClosed(s, "NOOP NOOP NOOP NOOP NOOP NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        System.out.printf("trickled command line (a byte a second, command.timeout 3 s): closed after %.1f s before "
                + "login, %.1f s after%n", beforeLogin, loggedIn);
        assertTrue("before login: " + beforeLogin, beforeLogin < 6);
        assertTrue("logged in: " + loggedIn, loggedIn < 6);
    }

    /** A client that sends whole, slow commands but never logs in is closed at the login deadline. */
    @Test
    public void aClientThatNeverLogsInIsClosedAtTheLoginDeadline() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", strict), 5000);
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            long t0 = System.nanoTime();
            readLine(in);
            String last = null;
            for (int i = 0; i < 20; i++) {
                try {
                    s.getOutputStream().write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
                    String line = readLine(in);
                    if (line == null) {
                        break;
                    }
                    last = line;
                } catch (IOException closed) {
                    break;
                }
                sleep(1000);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("a NOOP a second without login (login.timeout 5 s): closed after %.1f s, last reply %s%n",
                    seconds, last);
            assertTrue(last, last != null && last.startsWith("421 Login timeout"));
            assertTrue("closed after " + seconds, seconds < 8);
        }
    }

    /** Sends the bytes one per second (after AUTH TLS when asked) and returns the seconds until the server closed. */
    private static double trickle(int port, boolean authFirst, byte[] bytes) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            if (port != strictImplicit && port != limited) {
                readLine(in);
            }
            if (authFirst) {
                s.getOutputStream().write("AUTH TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(readLine(in).startsWith("234"));
            }
            return dripUntilClosed(s, bytes);
        }
    }

    private static double dripUntilClosed(Socket s, byte[] bytes) throws Exception {
        long t0 = System.nanoTime();
        AtomicBoolean closed = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                InputStream in = s.getInputStream();
                while (in.read() >= 0) {
                    // a 421 may come before the end
                }
            } catch (IOException e) {
                // reset: closed as well
            }
            closed.set(true);
        });
        reader.start();
        for (int i = 0; !closed.get() && i < 60; i++) {
            try {
                s.getOutputStream().write(bytes[i % bytes.length]);
                s.getOutputStream().flush();
            } catch (IOException e) {
                break;
            }
            for (int w = 0; w < 10 && !closed.get(); w++) {
                sleep(100);
            }
        }
        reader.join(20_000);
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---- 5. connection limits before TLS ----

    /** Over the per-address limit, a connection is turned away before any TLS work. */
    @Test
    public void connectionsOverTheLimitAreRefusedBeforeAnyTlsWork() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", limited), 5000);
                held.add(s);
            }
            sleep(300);
            long t0 = System.nanoTime();
            try (Socket over = new Socket()) {
                over.connect(new InetSocketAddress("127.0.0.1", limited), 5000);
                over.setSoTimeout(5000);
                int first = over.getInputStream().read();
                double millis = (System.nanoTime() - t0) / 1e6;
                System.out.printf("the 4th connection from one address to an implicit listener with "
                        + "max.connections.per.ip 3: closed after %.1f ms without a TLS byte%n", millis);
                assertEquals("closed without a byte (no TLS handshake)", -1, first);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    // ---- 6. names near the limit ----

    @Test
    public void aNameOf250BytesUploads() throws Exception {
        String name = "n".repeat(246) + ".bin";
        FTPClient c = login("mallory");
        try {
            assertTrue(c.getReplyString(), c.storeFile(name, new ByteArrayInputStream(new byte[] {4, 5, 6})));
            assertTrue(c.getReplyString(), c.makeDirectory("d".repeat(250)));
        } finally {
            c.disconnect();
        }
        assertEquals(3, Files.size(home.resolve(name)));
        System.out.println("a 250-byte file name uploads (the temporary name is short)");
    }

    // ---- 7. a full disk ----

    /** On a full disk an upload ends with 452 (not the 426 clients retry), nothing partial stays, the old file does. */
    @Test
    public void aFullDiskAnswers452AndKeepsThePreviousVersion() throws Exception {
        Assume.assumeTrue("a tmpfs can be mounted (root)", smallDiskMounted);
        byte[] first = new byte[1024 * 1024];
        java.util.Arrays.fill(first, (byte) 7);
        FTPClient c = new FTPClient();
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", open);
        try {
            assertTrue(c.login("dora", PASSWORD));
            c.setFileType(FTP.BINARY_FILE_TYPE);
            c.enterLocalPassiveMode();
            assertTrue(c.getReplyString(), c.storeFile("kept.bin", new ByteArrayInputStream(first)));
            boolean stored;
            int code;
            try {
                stored = c.storeFile("kept.bin", new ByteArrayInputStream(new byte[3 * 1024 * 1024]));
                code = c.getReplyCode();
            } catch (CopyStreamException | SocketException reset) {
                // the server stops reading when the disk is full: the client may see the data connection reset
                // before it has written everything; the final reply is still to be read
                stored = false;
                code = c.getReply();
            }
            String reply = c.getReplyString().trim();
            System.out.println("upload of 3 MB over a 1 MB file on a 2 MB disk: " + reply);
            assertTrue(!stored);
            assertEquals(452, code);
        } finally {
            c.disconnect();
        }
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(smallDisk.resolve("dora/kept.bin"))));
        try (Stream<Path> left = Files.list(smallDisk.resolve("dora"))) {
            assertEquals("only the previous file, no partial upload", List.of("kept.bin"),
                    left.map(p -> p.getFileName().toString()).toList());
        }
    }

    // ---- helpers ----

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int ch;
        while ((ch = in.read()) != -1 && ch != '\n') {
            if (ch != '\r') {
                b.write(ch);
            }
        }
        return ch == -1 && b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
