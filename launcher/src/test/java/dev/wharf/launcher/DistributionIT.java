package dev.wharf.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The distribution archive as a user unpacks it: it says its version, keeps an instance's state in a base
 * directory apart from the installation (so that an upgrade or {@code mvn clean} never touches it), and hashes a
 * password typed at a terminal without echoing it.
 */
public class DistributionIT {

    private static final Path TYPED_AT_TERMINAL = Path.of(System.getProperty("wharf.it.python", "")).resolveSibling(
            "typed_at_terminal.py");

    @Test
    public void saysItsVersion() throws Exception {
        Path installation = LauncherProcess.freshFolder("version");
        LauncherProcess.unpack(installation);
        Clients.Result r = Clients.run(installation.resolve("bin/wharf").toString(), "--version");
        assertEquals(r.toString(), 0, r.exit());
        assertTrue(r.toString(), r.out().matches("Wharf \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\n"));
        assertTrue(Files.isRegularFile(installation.resolve("LICENSE")));
        assertTrue(Files.isRegularFile(installation.resolve("CHANGELOG.md")));
    }

    @Test
    public void anInstanceKeepsItsStateInItsBaseDirectoryAndLeavesTheInstallationAlone() throws Exception {
        LauncherProcess wharf = LauncherProcess.copyOfDistribution("base");
        Path installation = wharf.home();
        List<String> before = tree(installation);
        Path base = installation.resolveSibling(installation.getFileName() + "-instance");
        int explicitPort = LauncherProcess.freePort();
        int implicitPort = LauncherProcess.freePort();
        try (wharf) {
            wharf.base(base);
            wharf.editConfig(LauncherProcess.LISTENER, "default", "host", "127.0.0.1", "port",
                    Integer.toString(explicitPort));
            wharf.editConfig(LauncherProcess.LISTENER, "implicit", "host", "127.0.0.1", "port",
                    Integer.toString(implicitPort));
            wharf.start();
            String password = wharf.awaitStdout(Pattern.compile("the password ([A-Za-z0-9]{20})"),
                    Duration.ofSeconds(30)).group(1);
            wharf.awaitFtp(explicitPort, false, true, "wharf", password, Duration.ofSeconds(30));
            Clients.Result up = Clients.curl("--ssl-reqd", "-k", "-u", "wharf:" + password, "-T",
                    installation.resolve("LICENSE").toString(), "ftp://127.0.0.1:" + explicitPort + "/");
            assertEquals(up.toString(), 0, up.exit());
        }
        assertTrue(Files.isRegularFile(base.resolve("etc/dev.wharf.ftp.user-wharf.cfg")));
        assertTrue(Files.isRegularFile(base.resolve("data/tls/ssl-default.crt")));
        assertTrue(Files.isRegularFile(base.resolve("home/wharf/LICENSE")));
        assertEquals("the installation is unchanged", before, tree(installation));
    }

    @Test
    public void hashPasswordAsksWithoutEchoAtATerminal() throws Exception {
        Path installation = LauncherProcess.freshFolder("hash");
        LauncherProcess.unpack(installation);
        // on a pseudo-terminal, the password typed after each prompt, as a person would
        Clients.Result r = Clients.run("python3", TYPED_AT_TERMINAL.toString(), "Password:", "Typed-Secret-7",
                "Again:", "Typed-Secret-7", "--", installation.resolve("bin/wharf").toString(), "hash-password");
        assertEquals(r.toString(), 0, r.exit());
        assertTrue(r.toString(), r.out().contains("Password:"));
        assertTrue(r.toString(), r.out().contains("$argon2id$v=19$"));
        assertFalse("the password was echoed:\n" + r, r.out().contains("Typed-Secret-7"));
    }

    private static List<String> tree(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            // stdout.log and stderr.log are the test harness's, not the server's
            return files.filter(p -> !p.equals(root) && !p.getFileName().toString().matches("std(out|err)\\.log"))
                    .map(p -> root.relativize(p) + (Files.isDirectory(p) ? "/" : " " + p.toFile().length()))
                    .sorted().toList();
        }
    }
}
