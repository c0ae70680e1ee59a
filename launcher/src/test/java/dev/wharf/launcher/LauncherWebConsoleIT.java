package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        wharf = LauncherProcess.copyOfDistribution("webconsole");
        int ftpPort = LauncherProcess.freePort();
        int httpPort = LauncherProcess.freePort();
        wharf.editConfig(LISTENER, "default", "host", "127.0.0.1", "port", Integer.toString(ftpPort));
        wharf.deleteConfig(LISTENER, "implicit");
        wharf.arguments("--webconsole=" + httpPort);
        wharf.start();
        Matcher shown = wharf.awaitStdout(Pattern.compile("Web Console: (http://127\\.0\\.0\\.1:" + httpPort
                + "/system/console/ftp) - user admin, password (\\S+) - note it now"), Duration.ofSeconds(60));
        String url = shown.group(1);
        String password = shown.group(2);
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
