package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static dev.wharf.launcher.LauncherProcess.USER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Test;

/**
 * The defender in the launcher, as shipped: ten failed logins from 127.0.0.3 ban it (refused before the greeting)
 * while 127.0.0.1 logs in; the ban is still in force after a restart, and a mistyped value in the defender's file
 * is one log line naming the file and the key, with the default kept in force.
 */
public class DefenderIT {

    private static final String PASSWORD = "Defender-7";
    private static final Duration START = Duration.ofSeconds(60);

    private LauncherProcess wharf;

    @After
    public void stop() throws Exception {
        if (wharf != null) {
            wharf.close();
        }
    }

    @Test
    public void aBanIsKeptAcrossARestart() throws Exception {
        wharf = LauncherProcess.copyOfDistribution("defender");
        wharf.editConfig(LISTENER, "default", "host", "127.0.0.1", "port",
                Integer.toString(LauncherProcess.freePort()));
        wharf.editConfig(LISTENER, "implicit", "host", "127.0.0.1", "port",
                Integer.toString(LauncherProcess.freePort()));
        int port = LauncherProcess.freePort();
        wharf.writeConfig(LISTENER, "plain", "host", "127.0.0.1", "port", Integer.toString(port), "tls.required",
                "none", "login.failure.delay", "0");
        Path home = Files.createDirectories(wharf.home().resolve("ftp/dora"));
        wharf.writeConfig(USER, "dora", "password", PASSWORD, "home", home.toString());
        Path defender = wharf.etc().resolve("dev.wharf.ftp.defender.cfg");
        assertTrue("the launcher ships the defender's configuration", Files.isRegularFile(defender));
        wharf.start();
        // the user's file may be read after the listener's: logging in from 127.0.0.1 (safe-listed) waits for it
        wharf.awaitFtp(port, false, true, "dora", PASSWORD, START);

        failLogins(port, "127.0.0.3", 10);
        assertRefused(port, "127.0.0.3");
        assertLogsIn(port);
        assertTrue(wharf.stderr(), wharf.stderr().contains("defender: 127.0.0.3 banned for 900 s (ban 1"));

        assertEquals(143, wharf.stop());
        String state = Files.readString(wharf.base().resolve("data/defender/bans"), StandardCharsets.UTF_8);
        assertTrue(state, state.contains("127.0.0.3 "));
        Files.writeString(defender, Files.readString(defender).replace("threshold = 10", "threshold = ten"));

        wharf.start();
        wharf.awaitLog(Pattern.compile(Pattern.quote("defender: 1 address(es) still banned from the last run")),
                START);
        wharf.awaitFtp(port, false, true, "dora", PASSWORD, START);
        assertRefused(port, "127.0.0.3");
        assertLogsIn(port);
        String log = wharf.stderr();
        assertTrue(log, log.contains(defender + ": 'threshold' is 'ten', not a whole number of at least 1; the "
                + "defender uses that key's default until this is fixed"));
        assertFalse("a configuration mistake is no stack trace:\n" + log, log.contains("\tat "));
    }

    /** Fails logins from the source address, connecting again whenever the listener closes the connection. */
    private static void failLogins(int port, String source, int count) throws IOException {
        int failed = 0;
        while (failed < count) {
            try (PlainDialogue d = new PlainDialogue(port, source)) {
                assertTrue(d.reply().startsWith("220"));
                for (int i = 0; i < 3 && failed < count; i++) {
                    assertTrue(d.send("USER dora").startsWith("331"));
                    String r = d.send("PASS not-the-password");
                    failed++;
                    if (!r.startsWith("530")) {
                        assertTrue(r, r.startsWith("421"));
                        break;
                    }
                }
            }
        }
    }

    private static void assertRefused(int port, String source) throws IOException {
        try (PlainDialogue d = new PlainDialogue(port, source)) {
            String greeting = d.reply();
            assertTrue(greeting, greeting.startsWith("421 ") && greeting.contains("too many failures"));
            assertEquals("closed after the 421", null, d.reply());
        }
    }

    private static void assertLogsIn(int port) throws IOException {
        try (PlainDialogue d = new PlainDialogue(port)) {
            assertTrue(d.reply().startsWith("220"));
            assertTrue(d.send("USER dora").startsWith("331"));
            String r = d.send("PASS " + PASSWORD);
            assertTrue(r, r.startsWith("230"));
        }
    }
}
