package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Test;

/**
 * The Web Console of the standalone launcher, switched on in one step ({@code bin/wharf --webconsole=PORT}): on
 * 127.0.0.1 only, with a password made at its first start and shown once (admin/admin does not work), and the FTP
 * page listing the launcher's listener. A console configuration without a password keeps the server from starting.
 */
public class LauncherWebConsoleIT {

    private LauncherProcess wharf;

    @After
    public void stop() throws Exception {
        if (wharf != null) {
            wharf.close();
        }
    }

    @Test
    public void theWebConsoleRunsOnLocalhostWithAPasswordOfItsOwn() throws Exception {
        int ftpPort = LauncherProcess.freePort();
        int httpPort = LauncherProcess.freePort();
        String password = startWithConsole("webconsole", ftpPort, httpPort);
        String url = "http://127.0.0.1:" + httpPort + "/system/console/ftp";
        wharf.awaitFtp(ftpPort, false, true, null, null, Duration.ofSeconds(60));

        String stored = Files.readString(wharf.etc().resolve(WebConsoleAccess.FILE));
        assertTrue(stored, stored.contains("password = {sha-256}"));
        assertFalse("the clear password in " + stored, stored.contains(password));

        Clients.Result page = awaitPage(url, "admin:" + password);
        assertTrue(page.toString(), page.out().contains("<td>default</td><td>127.0.0.1:" + ftpPort + "</td>"));
        assertTrue(page.toString(), page.out().contains("id='wharf-certificates'"));
        assertEquals("admin/admin is refused", "401", status(url, "admin:admin"));
        Clients.Result elsewhere = Clients.curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                "-u", "admin:" + password, url.replace("127.0.0.1", "127.0.0.2"));
        assertTrue("bound to 127.0.0.1 only, so 127.0.0.2 gets no answer: " + elsewhere, !elsewhere.ok());
    }

    /**
     * A listener and a user made in the Web Console's forms outlive a restart: they are kept in etc/ as .cfg files
     * (the user's with the hash, never the clear password), which the next start reads like any other.
     */
    @Test
    public void configurationsMadeInTheConsoleAreKeptInEtcAndSurviveARestart() throws Exception {
        int httpPort = LauncherProcess.freePort();
        int madePort = LauncherProcess.freePort();
        String admin = "admin:" + startWithConsole("webconsole-kept", LauncherProcess.freePort(), httpPort);
        awaitPage("http://127.0.0.1:" + httpPort + "/system/console/ftp", admin);
        Path home = Files.createDirectories(wharf.home().resolve("webby-home"));

        String console = "http://127.0.0.1:" + httpPort + "/system/console/configMgr/";
        save(console, admin, "dev.wharf.ftp.listener", "name", "console-made", "host", "127.0.0.1",
                "port", Integer.toString(madePort));
        save(console, admin, "dev.wharf.ftp.user", "name", "webby", "password", "Webby-pass-9",
                "home", home.toString(), "write", "true");
        wharf.awaitFtp(madePort, false, true, "webby", "Webby-pass-9", Duration.ofSeconds(60));

        Path listenerFile = wharf.etc().resolve("dev.wharf.ftp.listener-console-made.cfg");
        Path userFile = wharf.etc().resolve("dev.wharf.ftp.user-webby.cfg");
        awaitFile(userFile, "$argon2id$");
        String user = Files.readString(userFile);
        assertFalse("no clear password on disk: " + user, user.contains("Webby-pass-9"));
        String listener = Files.readString(listenerFile); // FileInstall may have rewritten it typed: port = I"…"
        assertTrue(listener, listener.matches("(?s).*port\\s*=\\s*(I\")?" + madePort + ".*"));

        Thread.sleep(2500); // FileInstall polls etc/ every second: had it made a second listener, it would be up now
        assertFalse("one listener, not a second one from the file: " + wharf.stderr(),
                wharf.stderr().contains("cannot bind"));
        assertEquals("a clean stop on SIGTERM", 143, wharf.stop());
        wharf.start();
        wharf.awaitFtp(madePort, false, true, "webby", "Webby-pass-9", Duration.ofSeconds(60));
        assertFalse("one listener from the file, not a second one: " + wharf.stderr(),
                wharf.stderr().contains("cannot bind"));
    }

    /**
     * Starts a copy of the distribution with the console on {@code httpPort} and its default listener alone on
     * {@code ftpPort}; returns the console password the first start shows.
     */
    private String startWithConsole(String name, int ftpPort, int httpPort) throws Exception {
        wharf = LauncherProcess.copyOfDistribution(name);
        wharf.editConfig(LISTENER, "default", "host", "127.0.0.1", "port", Integer.toString(ftpPort));
        wharf.deleteConfig(LISTENER, "implicit");
        wharf.arguments("--webconsole=" + httpPort);
        wharf.start();
        return wharf.awaitStdout(Pattern.compile("Web Console: http://127\\.0\\.0\\.1:" + httpPort
                + "/system/console/ftp - user admin, password (\\S+) - note it now"), Duration.ofSeconds(60))
                .group(1);
    }

    /** Saves a new factory configuration as the console's own script does: a placeholder PID, then apply. */
    private static void save(String console, String credentials, String factoryPid, String... keyValues)
            throws Exception {
        Clients.Result created = Clients.curl("-s", "-u", credentials, "-X", "POST", "--data", "create=true",
                console + factoryPid);
        Matcher pid = Pattern.compile("\"pid\"\\s*:\\s*\"([^\"]+)\"").matcher(created.out());
        assertTrue("no placeholder pid: " + created, pid.find());
        List<String> args = new ArrayList<>(List.of("-s", "-o", "/dev/null", "-w",
                "%{http_code}", "-u", credentials, "--data-urlencode", "apply=true", "--data-urlencode",
                "factoryPid=" + factoryPid));
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            names.append(names.length() == 0 ? "" : ",").append(keyValues[i]);
            args.addAll(List.of("--data-urlencode", keyValues[i] + "=" + keyValues[i + 1]));
        }
        args.addAll(List.of("--data-urlencode", "propertylist=" + names,
                console + URLEncoder.encode(pid.group(1), StandardCharsets.UTF_8)
                        .replace("+", "%20")));
        Clients.Result saved = Clients.curl(args.toArray(String[]::new));
        assertTrue("saving " + factoryPid + ": " + saved, saved.out().strip().matches("200|302"));
    }

    private static void awaitFile(Path file, String text) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            if (Files.isRegularFile(file) && Files.readString(file).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(file + " with '" + text + "' did not appear; etc/ holds "
                + Arrays.toString(file.getParent().toFile().list()));
    }

    @Test
    public void aConsoleConfigurationWithoutAPasswordStopsTheStart() throws Exception {
        wharf = LauncherProcess.copyOfDistribution("webconsole-nopassword");
        Path cfg = wharf.etc().resolve(WebConsoleAccess.FILE);
        Files.writeString(cfg, "username = admin\n");
        wharf.arguments("--webconsole=" + LauncherProcess.freePort());
        wharf.start();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (wharf.isRunning() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertFalse("the launcher stops: " + wharf.diagnostics(), wharf.isRunning());
        assertTrue(wharf.diagnostics(), wharf.stderr().contains(cfg + ": 'password' is not set; the Web Console "
                + "would accept admin/admin"));
    }

    private static Clients.Result awaitPage(String url, String credentials) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Clients.Result r;
        do {
            r = Clients.curl("-s", "--max-time", "5", "-u", credentials, url);
            if (r.ok() && r.out().contains("wharf-listeners")) {
                return r;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < end);
        throw new AssertionError("the FTP page did not answer: " + r);
    }

    private static String status(String url, String credentials) throws Exception {
        return Clients.curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", "-u", credentials, url)
                .out().strip();
    }
}
