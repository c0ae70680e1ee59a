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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Mistakes people make in {@code etc/} are caught and named, on the launcher with its shipped configuration:
 * a misspelt key, a value that does not fit, a file named the way ConfigAdmin shows factory configurations, a
 * user without a name, a home directory that cannot be used. None of them prints a stack trace or leaves a
 * clear-text password on disk, and the shipped listeners refuse a login without TLS.
 */
public class ConfigurationMistakesIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SOON = Duration.ofSeconds(15);
    private static final String PASSWORD = "Mistaken-Pa55";

    private static LauncherProcess wharf;
    private static int explicitPort;
    private static int implicitPort;

    @BeforeClass
    public static void startAsShipped() throws Exception {
        wharf = LauncherProcess.copyOfDistribution("mistakes");
        explicitPort = LauncherProcess.freePort();
        implicitPort = LauncherProcess.freePort();
        wharf.editConfig(LISTENER, "default", "host", "127.0.0.1", "port", Integer.toString(explicitPort));
        wharf.editConfig(LISTENER, "implicit", "host", "127.0.0.1", "port", Integer.toString(implicitPort));
        Path home = Files.createDirectories(wharf.home().resolve("ftp/frank"));
        wharf.writeConfig(USER, "frank", "password", PASSWORD, "home", home.toString());
        wharf.start();
        wharf.awaitFtp(explicitPort, false, true, "frank", PASSWORD, START);
        wharf.awaitFtp(implicitPort, true, true, "frank", PASSWORD, START);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (wharf != null) {
            wharf.close();
            String log = wharf.stderr();
            assertFalse("a configuration mistake is no stack trace:\n" + log, log.contains("\tat "));
        }
    }

    @Test
    public void theShippedListenersRefuseALoginWithoutTls() throws Exception {
        try (PlainDialogue d = new PlainDialogue(explicitPort)) {
            assertTrue(d.reply().startsWith("220 "));
            String user = d.send("USER frank");
            assertTrue(user, user.startsWith("530 ") && user.contains("TLS is required"));
            assertTrue(d.send("PASS " + PASSWORD).startsWith("503 "));
        }
        try (PlainDialogue d = new PlainDialogue(implicitPort)) {
            // an implicit-FTPS port speaks TLS from the first byte: a clear-text client gets no greeting at all
            assertEquals(null, d.send("USER frank"));
        } catch (java.net.SocketTimeoutException | java.net.SocketException expected) {
            // the server waits for a ClientHello, then gives up
        }
        Clients.Result curl = Clients.curl("-u", "frank:" + PASSWORD, "ftp://127.0.0.1:" + explicitPort + "/");
        assertEquals(curl.toString(), 67, curl.exit());
    }

    @Test
    public void aMisspeltKeyIsNamedWithTheKeyThatWasMeant() throws Exception {
        int port = LauncherProcess.freePort();
        Path file = wharf.writeConfig(LISTENER, "typo", "host", "127.0.0.1", "port", Integer.toString(port),
                "tls.requried", "control");
        wharf.awaitLog(Pattern.compile(Pattern.quote(file + ": unknown key 'tls.requried' is ignored; did you "
                + "mean 'tls.required'?")), SOON);
        wharf.awaitFtp(port, false, true, "frank", PASSWORD, SOON);
        wharf.deleteConfig(LISTENER, "typo");
        wharf.awaitClosed(port, SOON);
        assertEquals(1, count(wharf.stderr(), "unknown key 'tls.requried'"));
    }

    @Test
    public void aValueThatDoesNotFitIsOneLineAndTheFixedFileTakesEffect() throws Exception {
        Path file = wharf.writeConfig(LISTENER, "badport", "host", "127.0.0.1", "port", "21x");
        wharf.awaitLog(Pattern.compile(Pattern.quote(file + ": 'port' is '21x', not a whole number from 0 to "
                + "65535; listener 'badport' does not start until this is fixed")), SOON);
        int port = LauncherProcess.freePort();
        wharf.editConfig(LISTENER, "badport", "port", Integer.toString(port));
        wharf.awaitFtp(port, false, true, "frank", PASSWORD, SOON);
        wharf.deleteConfig(LISTENER, "badport");
        wharf.awaitClosed(port, SOON);
    }

    @Test
    public void aUserFileNamedWithATildeIsRenamedHashedAndUsed() throws Exception {
        Path home = Files.createDirectories(wharf.home().resolve("ftp/erin"));
        Path tilde = wharf.etc().resolve(USER + "~erin.cfg");
        Files.writeString(tilde.resolveSibling("erin.tmp"), "name = erin\npassword = Erin-Pa55-1\nhome = " + home
                + "\n", StandardCharsets.UTF_8);
        Files.move(tilde.resolveSibling("erin.tmp"), tilde);
        Path dash = wharf.configFile(USER, "erin");
        awaitHashed(dash, "Erin-Pa55-1");
        assertFalse(Files.exists(tilde));
        assertTrue(wharf.stderr(), wharf.stderr().contains(tilde + " renamed to " + dash.getFileName()));
        wharf.awaitFtp(explicitPort, false, true, "erin", "Erin-Pa55-1", SOON);
    }

    /**
     * FileInstall writes a configuration back to its file when ConfigAdmin reports it updated, if the file is still
     * there; a rename made beside that write brought the tilde file back. A dozen files at once make the race likely.
     */
    @Test
    public void tildeFilesDroppedTogetherAreAllRenamedAndNoneComesBack() throws Exception {
        Path home = Files.createDirectories(wharf.home().resolve("ftp/many"));
        List<Path> tildes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Path tilde = wharf.etc().resolve(USER + "~many" + i + ".cfg");
            Path temporary = wharf.etc().resolve("many" + i + ".tmp");
            Files.writeString(temporary, "name = many" + i + "\npassword = Many-Pa55-" + i + "\nhome = " + home
                    + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, tilde);
            tildes.add(tilde);
        }
        for (int i = 0; i < tildes.size(); i++) {
            // hashed after FileInstall has taken up the renamed file: any write-back to the old name came before
            awaitHashed(wharf.configFile(USER, "many" + i), "Many-Pa55-" + i);
        }
        for (Path tilde : tildes) {
            assertFalse(tilde + " is back\n" + wharf.diagnostics(), Files.exists(tilde));
        }
    }

    @Test
    public void aUserWithoutANameIsRefusedButItsPasswordIsHashedAnyway() throws Exception {
        Path home = Files.createDirectories(wharf.home().resolve("ftp/noname"));
        Path file = wharf.configFile(USER, "noname");
        Files.writeString(wharf.etc().resolve("noname.tmp"), "password = No-Name-Pa55\nhome = " + home + "\n");
        Files.move(wharf.etc().resolve("noname.tmp"), file);
        awaitHashed(file, "No-Name-Pa55");
        wharf.awaitLog(Pattern.compile(Pattern.quote(file + ": 'name' is missing; every user needs a login name; "
                + "this user cannot log in until this is fixed")), SOON);
    }

    @Test
    public void anUnusableHomeIsReportedWhenTheUserLoads() throws Exception {
        Path notADirectory = Files.writeString(wharf.home().resolve("a-file"), "not a directory");
        Path file = wharf.writeConfig(USER, "gina", "password", PASSWORD, "home", notADirectory + "/gina");
        wharf.awaitLog(Pattern.compile(Pattern.quote(file + ": 'home' is '" + notADirectory + "/gina', which cannot "
                + "be created")), SOON);
        Clients.Result login = Clients.curl("--ssl-reqd", "-k", "-u", "gina:" + PASSWORD,
                "ftp://127.0.0.1:" + explicitPort + "/");
        assertEquals(login.toString(), 67, login.exit());
        assertTrue(wharf.stderr(), wharf.stderr().contains("user 'gina' cannot log in until this is fixed"));
    }

    private static void awaitHashed(Path file, String clear) throws Exception {
        long deadline = System.nanoTime() + SOON.toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            if (text.contains("$argon2id$") && !text.contains(clear)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no hash in place of the clear password in " + file + ":\n" + text + "\n"
                + wharf.diagnostics());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
