package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static dev.wharf.launcher.LauncherProcess.USER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The "walking skeleton" acceptance, on the distribution as shipped (its etc/ files, only moved to free ports on
 * 127.0.0.1), on the build's own JDK and with no locale in the environment: the first start creates a user and
 * shows its password once; curl lists, downloads and uploads over explicit and implicit FTPS; lftp mirrors a tree
 * (spaces, UTF-8 names, sub-folders) up and down; a listener .cfg dropped into etc/ opens a port and deleting it
 * closes the port, while a session on the first listener keeps working.
 */
public class WalkingSkeletonIT {

    private static final Pattern PASSWORD_SHOWN = Pattern.compile(
            "Created the FTP user 'wharf' with the password ([A-Za-z0-9]{20}) - note it now, it is not shown again");
    private static final Duration START = Duration.ofSeconds(60);

    private static LauncherProcess wharf;
    private static int explicitPort;
    private static int implicitPort;
    private static String password;
    private static Path ftpHome;
    private static Path local;

    @BeforeClass
    public static void startFromShippedConfiguration() throws Exception {
        // as a service manager or container would start it: no locale in the environment
        wharf = LauncherProcess.copyOfDistribution("skeleton").withoutLocale();
        explicitPort = LauncherProcess.freePort();
        implicitPort = LauncherProcess.freePort();
        // the shipped listener files, moved to free ports on loopback; the shipped ssl file as it is
        wharf.editConfig(LISTENER, "default", "host", "127.0.0.1", "port", Integer.toString(explicitPort));
        wharf.editConfig(LISTENER, "implicit", "host", "127.0.0.1", "port", Integer.toString(implicitPort));
        assertFalse("no user before the first start", Files.exists(wharf.configFile(USER, "wharf")));
        wharf.start();

        password = wharf.awaitStdout(PASSWORD_SHOWN, START).group(1);
        wharf.awaitFtp(explicitPort, false, true, "wharf", password, START);
        wharf.awaitFtp(implicitPort, true, true, "wharf", password, START);
        // a normal start, as shipped, says nothing that looks like a problem
        java.util.List<String> complaints = wharf.stderr().lines()
                .filter(l -> l.contains(" WARNING ") || l.contains(" SEVERE ")).toList();
        assertEquals("warnings on a normal start:\n" + String.join("\n", complaints), java.util.List.of(), complaints);
        ftpHome = wharf.home().resolve("home/wharf");
        Files.createDirectories(ftpHome);
        local = Files.createDirectories(wharf.home().resolve("local"));
    }

    @AfterClass
    public static void stopWithSigterm() throws Exception {
        if (wharf == null) {
            return;
        }
        int exit = wharf.stop();
        assertTrue("exit status after SIGTERM: " + exit + "\n" + wharf.diagnostics(), exit == 143 || exit == 0);
        String log = wharf.stderr();
        assertTrue(log, log.contains("listener 'default' stopped"));
        assertTrue(log, log.contains("listener 'implicit' stopped"));
    }

    @Test
    public void firstStartShowsThePasswordOnceAndStoresOnlyItsHash() throws Exception {
        String stdout = wharf.stdout();
        Matcher shown = PASSWORD_SHOWN.matcher(stdout);
        assertTrue(shown.find());
        assertFalse("password shown twice:\n" + stdout, shown.find());
        String cfg = Files.readString(wharf.configFile(USER, "wharf"), StandardCharsets.UTF_8);
        assertFalse("clear password in the user file", cfg.contains(password));
        assertTrue(cfg, cfg.contains("password = $argon2id$"));
        String threads = wharf.expectedSessionThreads();
        assertTrue(threads + " expected\n" + wharf.stderr(), wharf.stderr().contains(threads));

        Clients.Result wrong = Clients.curl("--ssl-reqd", "-k", "-u", "wharf:not-" + password,
                "ftp://127.0.0.1:" + explicitPort + "/");
        assertEquals("curl: login denied\n" + wrong, 67, wrong.exit());
        assertTrue(wrong.toString(), wrong.err().contains("< 530"));
    }

    /**
     * The shipped listener's SSL configuration often reaches it a moment after its own: the listener must not
     * serve that moment without TLS (a client connecting then would be offered no AUTH TLS).
     */
    @Test
    public void theExplicitListenerNeverAcceptsWithoutTlsWhileItsSslConfigurationLoads() {
        String log = wharf.stderr();
        assertTrue(log, log.contains("listener 'default' accepting on /127.0.0.1:" + explicitPort
                + " (explicit TLS available)"));
        assertFalse(log, log.contains("listener 'default' accepting on /127.0.0.1:" + explicitPort + " (no TLS)"));
    }

    @Test
    public void curlListsTheHomeOverExplicitTls() throws Exception {
        Files.writeString(ftpHome.resolve("listed.txt"), "listed\n");
        Files.createDirectories(ftpHome.resolve("listed folder"));

        Clients.Result r = Clients.curl("--ssl-reqd", "-k", "-u", "wharf:" + password,
                "ftp://127.0.0.1:" + explicitPort + "/");

        assertEquals(r.toString(), 0, r.exit());
        assertTrue(r.toString(), r.err().contains("> AUTH TLS") || r.err().contains("> AUTH SSL"));
        assertTrue(r.toString(), r.err().contains("> PROT P"));
        assertTrue(r.toString(), r.out().lines().anyMatch(l -> l.startsWith("-") && l.endsWith(" listed.txt")));
        assertTrue(r.toString(), r.out().lines().anyMatch(l -> l.startsWith("d") && l.endsWith(" listed folder")));
    }

    @Test
    public void curlDownloadsOverImplicitTls() throws Exception {
        Path served = Trees.randomFile(ftpHome.resolve("download.bin"), 1_048_583, 1);
        Path got = local.resolve("download.bin");

        Clients.Result r = Clients.curl("-k", "-u", "wharf:" + password, "-o", got.toString(),
                "ftps://127.0.0.1:" + implicitPort + "/download.bin");

        assertEquals(r.toString(), 0, r.exit());
        assertTrue(r.toString(), r.err().contains("> PROT P"));
        Trees.assertSameFile(served, got);
    }

    @Test
    public void curlUploadsOverExplicitAndImplicitTls() throws Exception {
        Path one = Trees.randomFile(local.resolve("up-explicit.bin"), 777_777, 2);
        Path two = Trees.randomFile(local.resolve("up-implicit.bin"), 333_333, 3);

        Clients.Result explicit = Clients.curl("--ssl-reqd", "-k", "-u", "wharf:" + password, "-T", one.toString(),
                "ftp://127.0.0.1:" + explicitPort + "/uploads/");
        Clients.Result implicit = Clients.curl("-k", "-u", "wharf:" + password, "-T", two.toString(),
                "ftps://127.0.0.1:" + implicitPort + "/uploads/");

        assertEquals(explicit.toString(), 0, explicit.exit());
        assertEquals(implicit.toString(), 0, implicit.exit());
        Trees.assertSameFile(one, ftpHome.resolve("uploads/up-explicit.bin"));
        Trees.assertSameFile(two, ftpHome.resolve("uploads/up-implicit.bin"));
    }

    @Test
    public void lftpMirrorsAFolderUpAndDown() throws Exception {
        Path tree = local.resolve("tree");
        Trees.randomFile(tree.resolve("plain.bin"), 123_456, 10);
        Files.writeString(tree.resolve("name with spaces.txt"), "spaces in the name\n");
        Files.writeString(tree.resolve("grüße-ünïcødé-日本.txt"), "UTF-8 name\n");
        Trees.randomFile(tree.resolve("sub/inner.bin"), 2_000_003, 11);
        Files.createDirectories(tree.resolve("sub/deeper"));
        Files.writeString(tree.resolve("sub/deeper/empty.txt"), "");
        Files.writeString(tree.resolve("sub/deeper/last one.txt"), "last\n");

        // up over explicit FTPS
        Clients.Result up = Clients.lftp("ftp://127.0.0.1:" + explicitPort, "wharf", password, "",
                "mirror -R " + tree + " mirrored");
        assertEquals(up.toString(), 0, up.exit());
        Trees.assertSameTree(tree, ftpHome.resolve("mirrored"));

        // down over implicit FTPS
        Path down = local.resolve("tree-down");
        Clients.Result back = Clients.lftp("ftps://127.0.0.1:" + implicitPort, "wharf", password, "",
                "mirror mirrored " + down);
        assertEquals(back.toString(), 0, back.exit());
        Trees.assertSameTree(tree, down);
        assertTrue(up.toString(), up.err().contains("---> PROT P"));
        assertTrue(back.toString(), back.err().contains("---> PROT P"));
    }

    @Test
    public void aListenerDroppedIntoEtcComesAndGoesWhileAnotherListenersSessionKeepsWorking() throws Exception {
        Path upload = Trees.randomFile(local.resolve("across-the-change.bin"), 500_001, 20);
        Path download = local.resolve("across-the-change.down");
        Path signal = local.resolve("go");
        Files.deleteIfExists(signal);
        int secondPort = LauncherProcess.freePort();
        assertFalse(LauncherProcess.accepts(secondPort));

        // a session on the first listener: logged in, then waiting for the signal file
        Clients.Background session = Clients.pythonInBackground("--port", Integer.toString(explicitPort),
                "--user", "wharf", "--password", password, "--wait-for", signal.toString(),
                "--upload", upload.toString(), "--download", "across-the-change.bin", download.toString(),
                "--list", "--noop", "--reuse");
        session.awaitOutput("WAITING", Duration.ofSeconds(30));

        // add a listener: its port opens and serves a client session
        long added = System.nanoTime();
        wharf.writeConfig(LISTENER, "second", "host", "127.0.0.1", "port", Integer.toString(secondPort));
        wharf.awaitFtp(secondPort, false, true, "wharf", password, Duration.ofSeconds(15));
        long openedMillis = (System.nanoTime() - added) / 1_000_000;
        Files.writeString(ftpHome.resolve("seen-on-second.txt"), "second\n");
        Clients.Result onSecond = Clients.curl("--ssl-reqd", "-k", "-u", "wharf:" + password,
                "ftp://127.0.0.1:" + secondPort + "/seen-on-second.txt");
        assertEquals(onSecond.toString(), 0, onSecond.exit());
        assertEquals("second\n", onSecond.out());

        // remove it: the port closes
        wharf.deleteConfig(LISTENER, "second");
        wharf.awaitClosed(secondPort, Duration.ofSeconds(15));
        assertTrue(wharf.stderr(), wharf.stderr().contains("listener 'second' stopped"));

        // the first listener's session went through both changes untouched
        Files.writeString(signal, "go");
        Clients.Result r = session.finish(Duration.ofSeconds(60));
        assertEquals(r.toString(), 0, r.exit());
        assertTrue(r.toString(), r.out().contains("STOR 226"));
        assertTrue(r.toString(), r.out().contains("RETR 226"));
        assertTrue(r.toString(), r.out().contains("NOOP 200"));
        Trees.assertSameFile(upload, ftpHome.resolve("across-the-change.bin"));
        Trees.assertSameFile(upload, download);
        System.out.println("second listener served within " + openedMillis + " ms of its .cfg file appearing");
    }
}
