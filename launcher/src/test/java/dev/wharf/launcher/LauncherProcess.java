package dev.wharf.launcher;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The built distribution run as a real process: the archive ({@code target/wharf-<version>.tar.gz}) unpacked
 * afresh per test class, so that nothing a server run in place left in {@code target/wharf} can reach a test; the
 * {@code etc/*.cfg} files the test needs; {@code bin/wharf} started in the foreground and stopped with SIGTERM.
 *
 * <p>Its stdout and stderr go to {@code stdout.log} and {@code stderr.log} in the copy, which stays under
 * {@code target/it/} for a look after a failure.
 */
public final class LauncherProcess implements AutoCloseable {

    public static final String LISTENER = "dev.wharf.ftp.listener";
    public static final String SSL = "dev.wharf.ftp.ssl";
    public static final String USER = "dev.wharf.ftp.user";

    /** How long a stopped launcher may take to exit after SIGTERM. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private static final Path ARCHIVE = Path.of(System.getProperty("wharf.archive", "target/wharf.tar.gz"))
            .toAbsolutePath();
    private static final Path WORK = Path.of(System.getProperty("wharf.it.dir", "target/it")).toAbsolutePath();

    private final Path home;
    private Path base;
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private boolean withoutLocale;
    private String javaOpts;
    private final List<String> arguments = new ArrayList<>();
    private Process process;

    private LauncherProcess(Path home) {
        this.home = home;
        this.base = home;
    }

    /**
     * The distribution archive unpacked into a new folder under {@code target/it/}. The folders of earlier runs of
     * the same name are deleted first (the latest stays for a look after a failure).
     */
    public static LauncherProcess copyOfDistribution(String name) throws IOException, InterruptedException {
        Path home = freshFolder(name);
        unpack(home);
        return new LauncherProcess(home);
    }

    /** A new, empty folder under {@code target/it/}; earlier ones of that name are deleted. */
    public static Path freshFolder(String name) throws IOException {
        Files.createDirectories(WORK);
        try (var earlier = Files.newDirectoryStream(WORK, name + "-*")) {
            for (Path dir : earlier) {
                deleteTree(dir);
            }
        }
        return Files.createTempDirectory(WORK, name + "-");
    }

    /** Unpacks the distribution archive into the folder, as a user would: with tar. */
    public static void unpack(Path into) throws IOException, InterruptedException {
        assertTrue("the distribution archive is not built: " + ARCHIVE + " (run mvn verify)",
                Files.isRegularFile(ARCHIVE));
        Process tar = new ProcessBuilder("tar", "xzf", ARCHIVE.toString(), "-C", into.toString(),
                "--strip-components=1").redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (tar.waitFor() != 0) {
            fail("tar could not unpack " + ARCHIVE + ": " + output);
        }
    }

    /** A TCP port free on 127.0.0.1 right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    public Path home() {
        return home;
    }

    /** The instance's base directory: the installation itself unless {@link #base(Path)} moved it. */
    public Path base() {
        return base;
    }

    /**
     * Runs the instance from its own base directory ({@code bin/wharf --base DIR}), which starts with a copy of
     * the installation's {@code etc/} (made here, as the launcher would, so that a test can edit it first).
     */
    public LauncherProcess base(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("etc"));
        try (var files = Files.newDirectoryStream(home.resolve("etc"), "*.cfg")) {
            for (Path f : files) {
                Files.copy(f, dir.resolve("etc").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        this.base = dir;
        return this;
    }

    public Path etc() {
        return base.resolve("etc");
    }

    public Path configFile(String factoryPid, String name) {
        return etc().resolve(factoryPid + "-" + name + ".cfg");
    }

    public LauncherProcess javaHome(Path jdk) {
        this.javaHome = jdk;
        return this;
    }

    public Path javaHome() {
        return javaHome;
    }

    /**
     * What the launcher's log must say about its session threads on this JVM: virtual threads from Java 21 on
     * (the version read from the JDK's {@code release} file).
     */
    public String expectedSessionThreads() throws IOException {
        Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(javaHome.resolve("release")));
        assertTrue("no JAVA_VERSION in " + javaHome.resolve("release"), m.find());
        return Integer.parseInt(m.group(1)) >= 21 ? "virtual-thread sessions" : "platform-thread sessions";
    }

    /**
     * Starts bin/wharf with no LANG, LANGUAGE or LC_* variables: the C/POSIX locale of many containers and
     * service managers, under which Java cannot encode non-ASCII file names unless bin/wharf picks a UTF-8 locale.
     */
    public LauncherProcess withoutLocale() {
        this.withoutLocale = true;
        return this;
    }

    /**
     * Writes {@code etc/<factoryPid>-<name>.cfg} with {@code name} and the given key/value pairs, atomically (a
     * file FileInstall does not watch, then moved), so that FileInstall never reads half a file.
     */
    public Path writeConfig(String factoryPid, String name, String... keyValues) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", name);
        values.putAll(pairs(keyValues));
        StringBuilder text = new StringBuilder("# written by " + getClass().getSimpleName() + "\n");
        values.forEach((k, v) -> text.append(k).append(" = ").append(escape(v)).append('\n'));
        return writeAtomically(configFile(factoryPid, name), text.toString());
    }

    /** Sets keys in an existing (e.g. shipped) cfg file, keeping its comments and other keys. */
    public Path editConfig(String factoryPid, String name, String... keyValues) throws IOException {
        Path file = configFile(factoryPid, name);
        Map<String, String> values = new LinkedHashMap<>(pairs(keyValues));
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String key = line.contains("=") && !line.trim().startsWith("#")
                    ? line.substring(0, line.indexOf('=')).trim() : null;
            if (key != null && values.containsKey(key)) {
                lines.add(key + " = " + escape(values.remove(key)));
            } else {
                lines.add(line);
            }
        }
        values.forEach((k, v) -> lines.add(k + " = " + escape(v)));
        return writeAtomically(file, String.join("\n", lines) + "\n");
    }

    public void deleteConfig(String factoryPid, String name) throws IOException {
        Files.delete(configFile(factoryPid, name));
    }

    /** Passes these arguments to bin/wharf after the base directory, e.g. {@code --webconsole=8123}. */
    public LauncherProcess arguments(String... more) {
        arguments.addAll(List.of(more));
        return this;
    }

    /** Runs bin/wharf with these JVM options in JAVA_OPTS (otherwise JAVA_OPTS is unset). */
    public LauncherProcess javaOpts(String options) {
        this.javaOpts = options;
        return this;
    }

    /**
     * Starts {@code bin/wharf} (it runs in the foreground), also again after {@link #stop} (a restart); wait for it
     * with {@link #awaitFtp}.
     */
    public void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already started");
        }
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/wharf").toString()));
        if (!base.equals(home)) {
            command.addAll(List.of("--base", base.toString()));
        }
        command.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(home.resolve("stdout.log").toFile())
                .redirectError(home.resolve("stderr.log").toFile());
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().remove("JAVA_OPTS");
        if (javaOpts != null) {
            pb.environment().put("JAVA_OPTS", javaOpts);
        }
        if (withoutLocale) {
            pb.environment().keySet().removeIf(k -> k.equals("LANG") || k.equals("LANGUAGE") || k.startsWith("LC_"));
        }
        process = pb.start();
    }

    /** The server's process id (bin/wharf execs java, so this is the JVM's). */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String stdout() {
        return read(home.resolve("stdout.log"));
    }

    public String stderr() {
        return read(home.resolve("stderr.log"));
    }

    /** Waits until stdout has a match of the pattern; returns the match. */
    public Matcher awaitStdout(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = pattern.matcher(stdout());
            if (m.find()) {
                return m;
            }
            assertRunning();
            if (System.nanoTime() > deadline) {
                fail("no '" + pattern + "' on stdout within " + timeout + "\n" + diagnostics());
            }
            Thread.sleep(100);
        }
    }

    /** Waits until stderr (the log) has a match of the pattern. */
    public void awaitLog(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pattern.matcher(stderr()).find()) {
            assertRunning();
            if (System.nanoTime() > deadline) {
                fail("no '" + pattern + "' in the log within " + timeout + "\n" + diagnostics());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Waits until the listener on this port serves FTPS: explicit, AUTH TLS is accepted and the handshake works;
     * implicit, the TLS handshake works and the banner arrives; then, with a user given, the login succeeds. A
     * bare TCP accept is not enough: a listener whose TLS configuration arrives late binds without TLS and rebinds.
     *
     * @param user null: do not log in; with {@code handshake} false, only check that AUTH TLS is accepted
     *     (e.g. for a listener that needs a client certificate)
     */
    public void awaitFtp(int port, boolean implicit, boolean handshake, String user, String password,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            assertRunning();
            try {
                probe(port, implicit, handshake, user, password);
                return;
            } catch (IOException e) {
                last = e.toString();
            }
            if (System.nanoTime() > deadline) {
                fail("port " + port + " not serving FTPS within " + timeout + ": " + last + "\n" + diagnostics());
            }
            Thread.sleep(200);
        }
    }

    public static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until connections to the port are refused. */
    public void awaitClosed(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (accepts(port)) {
            if (System.nanoTime() > deadline) {
                fail("port " + port + " still accepts after " + timeout + "\n" + diagnostics());
            }
            Thread.sleep(200);
        }
    }

    /**
     * Sends SIGTERM ({@link Process#destroy()}; bin/wharf execs java, so it is the JVM's own pid) and checks that
     * the launcher exits within {@link #STOP_TIMEOUT}. Returns the exit status (143 after SIGTERM).
     */
    public int stop() throws InterruptedException {
        if (process == null) {
            return -1;
        }
        if (!process.isAlive()) {
            fail("the launcher had already exited with " + process.exitValue() + "\n" + diagnostics());
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("the launcher did not exit within " + STOP_TIMEOUT + " of SIGTERM\n" + diagnostics());
        }
        return process.exitValue();
    }

    /** Stops the process if it still runs (for @After/@AfterClass), checking the clean exit. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    public String diagnostics() {
        return "--- " + home + " stdout:\n" + tail(stdout()) + "--- stderr:\n" + tail(stderr());
    }

    private void assertRunning() {
        if (process != null && !process.isAlive()) {
            fail("the launcher exited with " + process.exitValue() + "\n" + diagnostics());
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void probe(int port, boolean implicit, boolean handshake, String user, String password)
            throws IOException {
        SSLContext tls = trustAll();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            raw.setSoTimeout(5000);
            Socket control = raw;
            if (implicit) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(raw, "127.0.0.1", port, true);
                ssl.startHandshake();
                control = ssl;
            }
            expect(control, null, "220");
            if (!implicit) {
                expect(control, "AUTH TLS", "234");
                if (!handshake) {
                    return;
                }
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(raw, "127.0.0.1", port, true);
                ssl.startHandshake();
                control = ssl;
            }
            if (user != null) {
                expect(control, "USER " + user, "331");
                expect(control, "PASS " + password, "230");
            }
            expect(control, "QUIT", "221");
        }
    }

    /** Sends a command (unless null) and reads one reply, which must start with the code. */
    private static void expect(Socket s, String command, String code) throws IOException {
        if (command != null) {
            OutputStream out = s.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        InputStream in = s.getInputStream();
        String line = readLine(in);
        String first = line;
        // multi-line reply: "123-..." up to "123 ..."
        while (line != null && line.length() >= 4 && line.charAt(3) == '-') {
            String end = line.substring(0, 3) + " ";
            do {
                line = readLine(in);
            } while (line != null && !line.startsWith(end));
        }
        if (first == null || !first.startsWith(code)) {
            throw new IOException("after " + (command == null ? "connect" : command.split(" ")[0]) + ": expected "
                    + code + ", got " + first);
        }
    }

    /** One line, byte by byte: nothing of the next reply is read ahead (and lost with a discarded reader). */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return b == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    private static SSLContext trustAll() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static Map<String, String> pairs(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** .cfg files are read as Java properties: backslashes escape. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }

    private static Path writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        return Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static String tail(String text) {
        int max = 6000;
        String t = text.length() > max ? "..." + text.substring(text.length() - max) : text;
        return t.endsWith("\n") || t.isEmpty() ? t : t + "\n";
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
