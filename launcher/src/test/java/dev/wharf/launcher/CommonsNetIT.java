package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static dev.wharf.launcher.LauncherProcess.USER;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Apache Commons Net's FTPSClient (SunJSSE, which does not resume the control session on the data port)
 * against the built launcher: explicit and implicit, passive and active, TLS 1.3 and 1.2, reuse required.
 */
public class CommonsNetIT {

    private static final String PASSWORD = "Commons-net-1";
    private static LauncherProcess wharf;
    private static int explicitPort;
    private static int implicitPort;
    private static Path home;

    @BeforeClass
    public static void start() throws Exception {
        wharf = LauncherProcess.copyOfDistribution("commons-net");
        explicitPort = LauncherProcess.freePort();
        implicitPort = LauncherProcess.freePort();
        wharf.editConfig(LISTENER, "default", "host", "127.0.0.1", "port", Integer.toString(explicitPort));
        wharf.editConfig(LISTENER, "implicit", "host", "127.0.0.1", "port", Integer.toString(implicitPort));
        home = Files.createDirectories(wharf.home().resolve("ftp/carol"));
        wharf.writeConfig(USER, "carol", "password", PASSWORD, "home", home.toString(), "write", "true");
        wharf.start();
        wharf.awaitFtp(explicitPort, false, true, "carol", PASSWORD, Duration.ofSeconds(60));
        wharf.awaitFtp(implicitPort, true, true, "carol", PASSWORD, Duration.ofSeconds(60));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (wharf != null) {
            wharf.close();
        }
    }

    private static FTPSClient client(boolean implicit, String protocol) throws Exception {
        FTPSClient c = new FTPSClient("TLS", implicit);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setEnabledProtocols(new String[] {protocol});
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", implicit ? implicitPort : explicitPort);
        assertTrue(c.login("carol", PASSWORD));
        c.execPBSZ(0);
        c.execPROT("P");
        assertTrue(c.setFileType(FTP.BINARY_FILE_TYPE));
        return c;
    }

    private static void roundTrip(FTPSClient c, String name, boolean active) throws Exception {
        if (active) {
            c.enterLocalActiveMode();
            c.setActiveExternalIPAddress("127.0.0.1");
        } else {
            c.enterLocalPassiveMode();
        }
        byte[] content = new byte[400_000];
        new Random(name.hashCode()).nextBytes(content);
        assertTrue(c.getReplyString(), c.storeFile(name, new ByteArrayInputStream(content)));
        assertArrayEquals(content, Files.readAllBytes(home.resolve(name)));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertTrue(c.retrieveFile(name, back));
        assertArrayEquals(content, back.toByteArray());
    }

    @Test
    public void tls13ExplicitPassiveAndActive() throws Exception {
        FTPSClient c = client(false, "TLSv1.3");
        try {
            roundTrip(c, "e-pasv.bin", false);
            roundTrip(c, "e-port.bin", true);
        } finally {
            c.disconnect();
        }
    }

    @Test
    public void tls13ImplicitPassiveAndActive() throws Exception {
        FTPSClient c = client(true, "TLSv1.3");
        try {
            roundTrip(c, "i-pasv.bin", false);
            roundTrip(c, "i-port.bin", true);
        } finally {
            c.disconnect();
        }
    }

    @Test
    public void tls12WithoutResumptionIsRefusedUnderRequiredReuse() throws Exception {
        FTPSClient c = client(false, "TLSv1.2");
        try {
            c.enterLocalPassiveMode();
            assertFalse(c.storeFile("refused.bin", new ByteArrayInputStream(new byte[10])));
            assertEquals(425, c.getReplyCode());
            assertFalse(Files.exists(home.resolve("refused.bin")));
            assertTrue(c.sendNoOp());
        } finally {
            c.disconnect();
        }
    }
}
