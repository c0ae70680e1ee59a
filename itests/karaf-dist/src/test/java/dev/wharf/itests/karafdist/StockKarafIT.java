package dev.wharf.itests.karafdist;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.junit.runners.MethodSorters;

/**
 * The README's Karaf path on the real distribution, with no Pax Exam: apache-karaf-minimal unpacked as downloaded,
 * a shell user added to etc/users.properties, Karaf started with bin/start, and the commands of the README block
 * marked {@code <!-- karaf-commands -->} sent through bin/client -b exactly as written. The only change to the
 * stock configuration: when Maven's local repository is not ~/.m2/repository, Karaf is pointed at it (that is
 * where "mvn install" put the dev.wharf artifacts). Then a user is added as a .cfg file, and files go up and down
 * over explicit FTPS on the feature's port 2121 with curl and lftp; bundle:refresh, bundle:update and
 * feature:uninstall must each leave no thread of the old bundle behind.
 *
 * <p>The methods run in name order on one Karaf; each leaves it as the next expects.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class StockKarafIT {

    private static final int FTP_PORT = 2121; // the wharf feature's default listener
    private static final int SSH_PORT = 8101; // Karaf's shell, used by bin/client
    private static final String USER = "kara";
    private static final String PASSWORD = "kara-secret-1";
    private static final String MARKER = "<!-- karaf-commands";
    /** A shell user for bin/client: stock Karaf's etc/users.properties has none. */
    private static final String SHELL_USER = "\nkaraf = karaf,_g_:admingroup\n"
            + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n";
    /** Users of Karaf's own realm, for the dev.wharf.ftp.jaas store: one with its login role, one without. */
    private static final String REALM_USERS = "\nrealm-ann = ann-secret-1,ftp-users\nrealm-eve = eve-secret-2,viewer\n";
    private static final String LISTENING = "listener 'default' accepting on";
    private static final Duration STEP = Duration.ofSeconds(60);

    private static final long T0 = System.nanoTime();
    private static StockKaraf karaf;
    private static Path work;
    private static Path ftpHome;
    private static Path realmHomes;
    private static String wharfImplId;
    /** How many log entries earlier failures printed already. */
    private static int dumped;

    @Rule
    public final TestWatcher dumpLogOnFailure = new TestWatcher() {
        @Override
        protected void failed(Throwable e, Description d) {
            dumpWharfLog(d.getMethodName());
        }
    };

    @BeforeClass
    public static void installWharfAsTheReadmeSays() throws Exception {
        try {
            List<String> commands = readmeKarafCommands(Path.of(required("wharf.readme")));
            checkLocalRepositoryHoldsThisBuild();
            Path dir = Path.of(required("wharf.itest.dir")).toAbsolutePath();
            work = dir.resolve("work");
            ftpHome = dir.resolve("ftp-home");
            realmHomes = dir.resolve("realm-homes");
            StockKaraf.deleteTree(work);
            StockKaraf.deleteTree(ftpHome);
            StockKaraf.deleteTree(realmHomes);
            Files.createDirectories(work);
            karaf = StockKaraf.unpack(Path.of(required("wharf.karaf.tarball")), dir.resolve("karaf"));
            log("unpacked " + karaf.home);
            awaitPortFree(FTP_PORT);
            awaitPortFree(SSH_PORT);
            karaf.append("etc/users.properties", SHELL_USER + REALM_USERS);
            Path localRepo = Path.of(required("wharf.localRepository")).toAbsolutePath().normalize();
            Path defaultRepo = Path.of(System.getProperty("user.home"), ".m2",
                    "repository").toAbsolutePath().normalize();
            if (!localRepo.equals(defaultRepo)) {
                karaf.append("etc/org.ops4j.pax.url.mvn.cfg", "\norg.ops4j.pax.url.mvn.localRepository=" + localRepo
                        + "\n");
                log("Karaf reads the local repository " + localRepo);
            }
            karaf.start(STEP);
            log("bin/start: Karaf pid " + karaf.pid());
            karaf.awaitShell(Duration.ofSeconds(90));
            log("bin/client answers");

            for (String command : commands) {
                String out = karaf.command(command);
                log(command + (out.isBlank() ? "" : " -> " + out.strip()));
            }
            awaitFeatureStarted();
            // no bundle that was already running was refreshed (Karaf logs "Stopping bundles:" before it does; a
            // refresh of ssh and the shell ends the bin/client session of whoever typed the command)
            assertEquals("the install stopped bundles (data/log/karaf.log)", List.of(),
                    karaf.logEntries(l -> l.contains("Stopping bundles:")));
            awaitTlsListener(0);
            log("wharf installed; AUTH TLS offered on " + FTP_PORT);
            wharfImplId = karaf.command("bundle:id wharf-impl").strip();
            assertTrue("bundle:id wharf-impl: " + wharfImplId, wharfImplId.matches("\\d+"));

            Path cfg = karaf.home.resolve("etc/dev.wharf.ftp.user-" + USER + ".cfg");
            Files.writeString(cfg, "name = " + USER + "\npassword = " + PASSWORD + "\nhome = " + ftpHome
                    + "\nwrite = true\n", UTF_8);
            await("the clear-text password in " + cfg + " replaced by its hash", Duration.ofSeconds(30),
                    () -> Files.readString(cfg).contains("$argon2id$"));
            await("a login of " + USER + " over FTPS", Duration.ofSeconds(20),
                    () -> curl("ftp://127.0.0.1:" + FTP_PORT + "/").ok());
            log("user " + USER + " can log in");
            // the install did not refresh, yet Wharf found the EventAdmin the feature brought: its events are there
            String events = karaf.command("event:display");
            assertTrue("event:display: " + events, events.contains("dev/wharf/ftp/"));
            Files.writeString(karaf.home.resolve("etc/dev.wharf.ftp.jaas-staff.cfg"), "name = staff\nrealm = karaf\n"
                    + "home = " + realmHomes + "/{user}\nlogin.role = ftp-users\nwrite.role = ftp-users\n", UTF_8);
        } catch (Throwable t) {
            dumpWharfLog("set-up");
            throw t;
        }
    }

    @AfterClass
    public static void stopKaraf() {
        if (karaf != null) {
            karaf.stop(STEP);
            log("Karaf stopped");
        }
    }

    @Test
    public void step1ListUploadDownloadWithCurlAndLftp() throws Exception {
        ftpsRoundTrip("first");
    }

    /** tls.required = control on the shipped listener: no password goes over the wire in clear. */
    @Test
    public void step2PlainLoginWithoutAuthTlsGets530() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", FTP_PORT), 5000);
            s.setSoTimeout(15_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
            Writer out = new OutputStreamWriter(s.getOutputStream(), US_ASCII);
            String greeting = reply(in);
            assertTrue(greeting, greeting.startsWith("220"));
            String user = send(in, out, "USER " + USER);
            if (user.startsWith("530")) {
                return;
            }
            String pass = send(in, out, "PASS " + PASSWORD);
            send(in, out, "QUIT");
            assertTrue("USER/PASS without AUTH TLS must be refused with 530 (shipped listener: tls.required=control);"
                    + " got USER -> " + user + ", PASS -> " + pass, pass.startsWith("530"));
        }
    }

    /**
     * A dev.wharf.ftp.jaas store over Karaf's karaf realm (etc/users.properties): a user with the login role uploads
     * with curl over FTPS into a home made from the template; one without it gets 530 with the right password.
     */
    @Test
    public void step2RealmUsersWithTheLoginRoleLogIn() throws Exception {
        Path local = Files.write(work.resolve("realm.bin"), new byte[] {1, 2, 3, 4, 5});
        String url = "ftp://127.0.0.1:" + FTP_PORT + "/realm.bin";
        await("an upload by realm-ann, a user of Karaf's realm", Duration.ofSeconds(30),
                () -> curlAs("realm-ann:ann-secret-1", url, "-T", local.toString()).ok());
        assertSameBytes(local, realmHomes.resolve("realm-ann/realm.bin"));
        Proc.Result eve = curlAs("realm-eve:eve-secret-2", url, "-o", work.resolve("eve.bin").toString());
        assertFalse("realm-eve has not the login role: " + eve, eve.ok());
        assertTrue("530 for realm-eve: " + eve, eve.output().contains("530"));
    }

    /**
     * The wharf: shell commands through bin/client as an operator types them: wharf:user-add (the password piped
     * in, only its hash in the new .cfg file) makes a user that logs in; wharf:sessions shows that user's upload,
     * running in curl; wharf:kick ends it, curl sees the end, and no partial file is left.
     */
    @Test
    public void step2bShellUserAddSessionsAndKick() throws Exception {
        Path home = work.getParent().resolve("ftp-home-karl");
        StockKaraf.deleteTree(home);
        String added = karaf.command("echo 'karl-Secret-5' | wharf:user-add --write --home " + home + " karl");
        assertTrue(added, added.contains("User karl added"));
        Path cfg = karaf.home.resolve("etc/dev.wharf.ftp.user-karl.cfg");
        String text = Files.readString(cfg);
        assertTrue(text, text.contains("password = $argon2id$"));
        assertTrue("the clear-text password in " + cfg + ": " + text, !text.contains("karl-Secret-5"));
        String users = karaf.command("wharf:user-list");
        assertTrue(users, users.lines().anyMatch(l -> l.contains("karl") && l.contains(home.toString())));

        Path big = work.resolve("slow.bin");
        Files.write(big, new byte[8 * 1024 * 1024]);
        List<String> upload = List.of("curl", "-sS", "--ssl-reqd", "-k", "-u", "karl:karl-Secret-5",
                "--limit-rate", "256k", "-T", big.toString(), "ftp://127.0.0.1:" + FTP_PORT + "/slow.bin");
        Process curl = new ProcessBuilder(upload).directory(work.toFile()).redirectErrorStream(true).start();
        try {
            String[] row = {""};
            await("wharf:sessions shows karl's upload", Duration.ofSeconds(30), () -> {
                row[0] = karaf.command("wharf:sessions").lines()
                        .filter(l -> l.contains("karl") && l.contains("upload /slow.bin")).findFirst().orElse("");
                return !row[0].isEmpty();
            });
            log("wharf:sessions -> " + row[0].strip());
            String id = row[0].strip().split("\\s*[|│]\\s*|\\s+")[0];
            String kicked = karaf.command("wharf:kick " + id);
            assertTrue(kicked, kicked.contains("Ended session " + id));
            assertTrue("curl ends after wharf:kick", curl.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            String said = new String(curl.getInputStream().readAllBytes(), UTF_8);
            log("curl after wharf:kick: exit " + curl.exitValue() + " " + said.strip());
            assertTrue("curl failed after wharf:kick: " + said, curl.exitValue() != 0);
        } finally {
            curl.destroyForcibly();
        }
        await("no partial upload in " + home, Duration.ofSeconds(10), () -> {
            try (java.util.stream.Stream<Path> files = Files.list(home)) {
                return files.noneMatch(p -> p.getFileName().toString().contains("slow")
                        || p.getFileName().toString().endsWith(".part"));
            }
        });
        Files.delete(cfg);
    }

    @Test
    public void step3BundleRefreshKeepsFtpsAndLeavesNoThreadBehind() throws Exception {
        restartsCleanly("bundle:refresh " + wharfImplId);
    }

    @Test
    public void step4BundleUpdateKeepsFtpsAndLeavesNoThreadBehind() throws Exception {
        restartsCleanly("bundle:update " + wharfImplId);
    }

    @Test
    public void step5FeatureUninstallClosesThePortAndEndsEveryThread() throws Exception {
        ftpsRoundTrip("before-uninstall"); // whatever the earlier tests left, a transfer has started every thread
        karaf.command("feature:uninstall wharf");
        await("port " + FTP_PORT + " closed after feature:uninstall wharf", Duration.ofSeconds(30),
                () -> !accepts(FTP_PORT));
        List<StockKaraf.JvmThread> left = settledWharfThreads(true);
        assertEquals("threads named wharf* after feature:uninstall wharf: " + left, 0, left.size());
    }

    /**
     * The command restarts wharf-impl: FTPS works again afterwards, and not one of the wharf* threads alive before it
     * is alive after it (thread ids are never reused, so a new bundle's namesake is not mistaken for an old thread).
     * Counting names instead was flaky: the worker pool grows with demand, so the same work can leave one or two
     * idle pooled threads, before the command as after it.
     */
    private static void restartsCleanly(String command) throws Exception {
        ftpsRoundTrip("before " + command);
        List<StockKaraf.JvmThread> before = settledWharfThreads(false);
        assertTrue("wharf* threads before " + command + ": " + before, !before.isEmpty());
        int listening = count(LISTENING);
        karaf.command(command);
        awaitTlsListener(listening);
        ftpsRoundTrip("after " + command);
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<StockKaraf.JvmThread> after;
        List<StockKaraf.JvmThread> survivors;
        do {
            Thread.sleep(200);
            after = karaf.wharfThreads();
            survivors = after.stream().filter(before::contains).toList();
        } while (!survivors.isEmpty() && System.nanoTime() < end);
        log(command + ": wharf threads before " + before + ", after " + after);
        assertEquals("wharf* threads from before " + command + " still alive 15 s after FTPS worked again (before "
                + before + ", after " + after + ")", List.of(), survivors);
    }

    /** curl (list, upload, download) and lftp (upload, download, list) over explicit FTPS, files compared. */
    private static void ftpsRoundTrip(String tag) throws Exception {
        String name = tag.replaceAll("[^A-Za-z0-9]+", "-");
        byte[] data = new byte[300_000];
        new Random(name.hashCode()).nextBytes(data);
        Path local = Files.write(work.resolve(name + ".bin"), data);
        String url = "ftp://127.0.0.1:" + FTP_PORT + "/";

        ok(curl(url + "curl-" + name + ".bin", "-T", local.toString()));
        assertSameBytes(local, ftpHome.resolve("curl-" + name + ".bin"));
        Proc.Result list = ok(curl(url));
        assertTrue("curl's listing names the upload: " + list, list.output().contains("curl-" + name + ".bin"));
        Path down = work.resolve("curl-" + name + ".down");
        ok(curl(url + "curl-" + name + ".bin", "-o", down.toString()));
        assertSameBytes(local, down);

        Path lftpDown = work.resolve("lftp-" + name + ".down");
        Files.deleteIfExists(lftpDown);
        Proc.Result lftp = ok(Proc.run(work, Map.of(), null, STEP, List.of("lftp", "-u", USER + "," + PASSWORD, "-e",
                "set ftp:ssl-force true; set ssl:verify-certificate no; set cmd:fail-exit yes; set net:max-retries 1; "
                        + "put " + local + " -o lftp-" + name + ".bin; get lftp-" + name + ".bin -o " + lftpDown
                        + "; ls; quit",
                "127.0.0.1:" + FTP_PORT)));
        assertTrue("lftp's listing names the upload: " + lftp, lftp.output().contains("lftp-" + name + ".bin"));
        assertSameBytes(local, ftpHome.resolve("lftp-" + name + ".bin"));
        assertSameBytes(local, lftpDown);
    }

    private static Proc.Result curl(String url, String... more) throws Exception {
        return curlAs(USER + ":" + PASSWORD, url, more);
    }

    private static Proc.Result curlAs(String userAndPassword, String url, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--ssl-reqd", "-k", "-u", userAndPassword));
        command.addAll(List.of(more));
        command.add(url);
        return Proc.run(work, Map.of(), null, STEP, command);
    }

    private static Proc.Result ok(Proc.Result r) {
        assertTrue(r.toString(), r.ok());
        return r;
    }

    private static void assertSameBytes(Path expected, Path actual) throws IOException {
        assertTrue(actual + " exists", Files.isRegularFile(actual));
        assertEquals(actual + " holds the same bytes as " + expected, -1L, Files.mismatch(expected, actual));
    }

    /**
     * The wharf* threads once the transient ones (sessions, a running transfer, the listener's bind retry, the
     * hash write-back) have ended, or the last list after 15 s; with {@code none}, waits for there to be none.
     */
    private static List<StockKaraf.JvmThread> settledWharfThreads(boolean none) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<StockKaraf.JvmThread> threads;
        while (true) {
            threads = karaf.wharfThreads();
            boolean settled = none ? threads.isEmpty()
                    : threads.stream().map(StockKaraf.JvmThread::name).noneMatch(StockKarafIT::transientThread);
            if (settled || System.nanoTime() > end) {
                return threads;
            }
            Thread.sleep(250);
        }
    }

    private static boolean transientThread(String name) {
        return name.startsWith("wharf-session") || name.startsWith("wharf-transfer ") || name.startsWith("wharf-bind-")
                || name.startsWith("wharf-close") || name.startsWith("wharf-hash") || name.startsWith("wharf-end")
                || name.startsWith("wharf-realm-"); // a realm call's thread, ended 30 s after its last call
    }

    /**
     * The commands of the README's block marked {@code <!-- karaf-commands -->}, one per line. The features URL
     * must name this build's version: the local repository may still hold an older one.
     */
    static List<String> readmeKarafCommands(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme, UTF_8);
        int marker = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith(MARKER)) {
                assertEquals("one " + MARKER + " block in " + readme, -1, marker);
                marker = i;
            }
        }
        assertTrue("a line starting with " + MARKER + " in " + readme, marker >= 0);
        assertTrue("a fenced block right below " + MARKER + " in " + readme,
                marker + 1 < lines.size() && lines.get(marker + 1).strip().startsWith("```"));
        List<String> commands = new ArrayList<>();
        int i = marker + 2;
        for (; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                commands.add(line);
            }
        }
        assertTrue("the " + MARKER + " block in " + readme + " is closed", i < lines.size());
        assertTrue("commands in the " + MARKER + " block of " + readme, !commands.isEmpty());
        String version = required("wharf.version");
        for (String c : commands) {
            if (c.contains("wharf-features/")) {
                assertTrue("README's command names this build's version " + version + ": " + c,
                        c.contains("wharf-features/" + version + "/"));
            }
        }
        return commands;
    }

    /**
     * Stock Karaf reads mvn:dev.wharf/... from the local repository, so "mvn verify" would test whatever an earlier
     * "mvn install" left there. Each artifact this build made must be the one in the local repository.
     */
    private static void checkLocalRepositoryHoldsThisBuild() throws IOException {
        Path repo = Path.of(required("wharf.localRepository"), "dev", "wharf");
        String v = required("wharf.version");
        Map<String, Path> installed = Map.of(
                "wharf.build.features", repo.resolve("wharf-features/" + v + "/wharf-features-" + v + "-features.xml"),
                "wharf.build.api", repo.resolve("wharf-api/" + v + "/wharf-api-" + v + ".jar"),
                "wharf.build.impl", repo.resolve("wharf-impl/" + v + "/wharf-impl-" + v + ".jar"),
                "wharf.build.shell", repo.resolve("wharf-shell/" + v + "/wharf-shell-" + v + ".jar"));
        for (Map.Entry<String, Path> e : installed.entrySet()) {
            Path built = Path.of(required(e.getKey()));
            Path local = e.getValue();
            if (!Files.isRegularFile(local) || Files.mismatch(built, local) != -1) {
                fail("The local repository does not hold this build's " + built.getFileName() + " (" + local
                        + "). Stock Karaf installs Wharf from there: run \"mvn install\", not \"mvn verify\".");
            }
        }
    }

    private static void awaitFeatureStarted() throws Exception {
        // Provisioning goes on after feature:install has answered; a failing client is "not yet" here.
        Pattern started = Pattern.compile("(?m)^\\s*wharf\\s*[|│].*Started");
        Proc.Result[] last = {null};
        try {
            await("feature wharf Started (feature:list -i)", STEP, () -> {
                last[0] = karaf.client("feature:list -i", STEP);
                return last[0].ok() && started.matcher(last[0].output()).find();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last try: " + last[0], e);
        }
    }

    /** Waits for a new "accepting" line (more than {@code before}) and for FEAT to offer AUTH TLS on the port. */
    private static void awaitTlsListener(int before) throws Exception {
        await("listener 'default' (re)started", Duration.ofSeconds(30), () -> count(LISTENING) > before);
        String[] last = {""};
        try {
            await("AUTH TLS offered on port " + FTP_PORT, Duration.ofSeconds(30), () -> {
                last[0] = feat();
                return last[0].contains("AUTH TLS");
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last FEAT reply: " + last[0].strip()
                    + "; log: " + karaf.logEntries(l -> l.contains(LISTENING) || l.contains("TLS configuration")));
        }
    }

    private static String feat() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", FTP_PORT), 2000);
            s.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
            Writer out = new OutputStreamWriter(s.getOutputStream(), US_ASCII);
            reply(in);
            String feat = send(in, out, "FEAT");
            send(in, out, "QUIT");
            return feat;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String send(BufferedReader in, Writer out, String command) throws IOException {
        out.write(command + "\r\n");
        out.flush();
        return reply(in);
    }

    /** One FTP reply, all lines of a multi-line one. */
    private static String reply(BufferedReader in) throws IOException {
        StringBuilder b = new StringBuilder();
        String line = in.readLine();
        if (line == null) {
            throw new IOException("connection closed");
        }
        b.append(line);
        if (line.length() > 3 && line.charAt(3) == '-') {
            String end = line.substring(0, 3) + " ";
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("connection closed in a multi-line reply: " + b);
                }
                b.append('\n').append(line);
            } while (!line.startsWith(end));
        }
        return b.toString();
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The test needs Karaf's ports: waits a little for another process to release them, then fails clearly. */
    private static void awaitPortFree(int port) throws Exception {
        await("port " + port + " free (another process uses it: this test runs a stock Karaf, which binds "
                + FTP_PORT + " and " + SSH_PORT + ")", Duration.ofSeconds(30), () -> {
                    try (ServerSocket s = new ServerSocket()) {
                        s.bind(new InetSocketAddress(port));
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private static int count(String text) throws IOException {
        return karaf.logEntries(l -> l.contains(text)).size();
    }

    private static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(200);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank() || value.contains("${")) {
            throw new IllegalStateException("system property " + property
                    + " is not set: run through Maven (failsafe)");
        }
        return value;
    }

    private static void log(String message) {
        System.out.printf("[stock-karaf +%5.1fs] %s%n", (System.nanoTime() - T0) / 1e9, message);
    }

    private static void dumpWharfLog(String when) {
        if (karaf == null) {
            return;
        }
        try {
            List<String> entries = karaf.logEntries(l -> l.toLowerCase(java.util.Locale.ROOT).contains("wharf"));
            int from = Math.max(dumped, entries.size() - 150);
            System.out.println("[stock-karaf] " + when + " failed; " + karaf.log() + ", entries mentioning wharf"
                    + (dumped > 0 ? " since the last failure" : "") + " (" + (entries.size() - from) + " of "
                    + entries.size() + "):");
            dumped = entries.size();
            for (String e : entries.subList(from, entries.size())) {
                // a stack trace: its first 20 lines and every "Caused by"
                String[] lines = e.split("\n");
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < lines.length; i++) {
                    if (i < 20 || lines[i].startsWith("Caused by")) {
                        b.append(i == 0 ? "" : "\n").append(lines[i]);
                    }
                }
                System.out.println(b);
            }
        } catch (IOException e) {
            System.out.println("[stock-karaf] cannot read " + karaf.log() + ": " + e);
        }
    }
}
