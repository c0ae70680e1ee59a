package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static dev.wharf.launcher.LauncherProcess.SSL;
import static dev.wharf.launcher.LauncherProcess.USER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The launcher started with a TLS configuration that cannot be loaded (a keystore with the wrong password in the
 * shipped {@code ssl-default.cfg}): no port serves a login without TLS, not even a listener that allows plain FTP,
 * and the log says why naming the file and the key. Fixing the password in the file brings TLS back on every
 * listener within seconds, without a restart.
 */
public class FailClosedTlsIT {

    private static final String PASSWORD = "Fail-Closed-9";
    private static final Duration START = Duration.ofSeconds(60);

    private static LauncherProcess wharf;
    private static int explicitPort;
    private static int implicitPort;
    private static int plainAllowedPort;
    private static Path keystore;

    @BeforeClass
    public static void startWithAWrongKeystorePassword() throws Exception {
        wharf = LauncherProcess.copyOfDistribution("fail-closed");
        keystore = wharf.home().resolve("server.p12");
        Clients.Result made = Clients.run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-validity", "30", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "right-password", "-keypass", "right-password");
        assertEquals(made.toString(), 0, made.exit());
        wharf.writeConfig(SSL, "default", "keystore", keystore.toString(), "keystore.password", "wrong-password");

        explicitPort = LauncherProcess.freePort();
        implicitPort = LauncherProcess.freePort();
        plainAllowedPort = LauncherProcess.freePort();
        wharf.editConfig(LISTENER, "default", "host", "127.0.0.1", "port", Integer.toString(explicitPort));
        wharf.editConfig(LISTENER, "implicit", "host", "127.0.0.1", "port", Integer.toString(implicitPort));
        // a listener that would allow plain FTP: its TLS configuration is broken, so it must not serve either
        wharf.writeConfig(LISTENER, "lenient", "host", "127.0.0.1", "port", Integer.toString(plainAllowedPort),
                "tls.required", "none");
        Path home = Files.createDirectories(wharf.home().resolve("ftp/dora"));
        wharf.writeConfig(USER, "dora", "password", PASSWORD, "home", home.toString(), "write", "true");
        wharf.start();
        wharf.awaitLog(Pattern.compile("listener 'lenient' accepting on"), START);
        wharf.awaitLog(Pattern.compile("listener 'implicit' accepting on"), START);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (wharf != null) {
            wharf.close();
        }
    }

    @Test
    public void noPortServesALoginWhileTheKeystoreCannotBeLoadedAndFixingItBringsTlsBack() throws Exception {
        for (int port : new int[] {explicitPort, plainAllowedPort}) {
            try (PlainDialogue d = new PlainDialogue(port)) {
                String greeting = d.reply();
                assertTrue("port " + port + ": " + greeting, greeting.startsWith("421 "));
                assertEquals("closed after the 421", null, d.reply());
            }
        }
        assertImplicitHandshakeFails();
        // lftp as people run it (no ftp:ssl-force): it would send PASS in the clear to a plain server
        Clients.Result lftp = Clients.run("lftp", "-d", "-c", "set net:max-retries 1; set net:timeout 5; "
                + "set cmd:fail-exit yes; open -u dora," + PASSWORD + " ftp://127.0.0.1:" + plainAllowedPort + "; ls");
        assertNotEquals(lftp.toString(), 0, lftp.exit());
        assertFalse(lftp.toString(), lftp.err().contains("PASS"));

        String log = wharf.stderr();
        String ssl = wharf.configFile(SSL, "default").toString();
        assertTrue(log, log.contains("TLS configuration 'default' cannot be used, listeners using it refuse "
                + "connections: " + ssl + ": keystore " + keystore + ": wrong password (key 'keystore.password')"));
        assertTrue(log, log.contains("listener 'lenient' refuses connections until this is fixed"));
        assertFalse("no listener may fall back to no TLS:\n" + log, log.contains("(no TLS)"));
        assertFalse("a configuration mistake is no stack trace:\n" + log, log.contains("\tat "));

        long fixed = System.nanoTime();
        wharf.editConfig(SSL, "default", "keystore.password", "right-password");
        wharf.awaitFtp(explicitPort, false, true, "dora", PASSWORD, Duration.ofSeconds(10));
        wharf.awaitFtp(implicitPort, true, true, "dora", PASSWORD, Duration.ofSeconds(10));
        wharf.awaitFtp(plainAllowedPort, false, true, "dora", PASSWORD, Duration.ofSeconds(10));
        System.out.println("TLS back on all three listeners " + (System.nanoTime() - fixed) / 1_000_000
                + " ms after the password was fixed");
        assertTrue(wharf.stderr(), wharf.stderr().contains("TLS configuration 'default' can be used again"));
    }

    private static void assertImplicitHandshakeFails() throws Exception {
        try {
            wharf.awaitFtp(implicitPort, true, true, null, null, Duration.ofSeconds(1));
            throw new AssertionError("the implicit listener completed a TLS handshake with broken key material");
        } catch (AssertionError expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("not serving FTPS"));
        }
    }
}
