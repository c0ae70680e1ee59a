package dev.wharf.itests.felix;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.itests.support.WharfSupport;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.inject.Inject;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The example bundle of {@code examples/upload-checks}, installed as a user would install their own: its hook
 * refuses an executable by its content, and its EventAdmin handler writes the checksum of each completed upload;
 * stopping the bundle takes both away.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExampleBundleIT {

    private static final byte[] ELF = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0};

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    private WharfSupport wharf;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return options(
                LauncherBundles.felixWithWharf("example"),
                LauncherBundles.exampleUploadChecks());
    }

    @Before
    public void setUp() {
        wharf = new WharfSupport(context, cm);
    }

    @After
    public void tearDown() throws Exception {
        wharf.close();
    }

    @Test
    public void theExampleHookAndHandlerWorkAndLeaveWithTheirBundle() throws Exception {
        Path home = wharf.dir("home-example");
        Files.createDirectories(home);
        wharf.selfSignedSsl("default");
        wharf.user("finn", "finn-secret-6", home);
        wharf.listener("example");
        InetSocketAddress address = wharf.awaitListener("example", FtpListener::tlsAvailable);
        byte[] report = "quarterly figures\n".getBytes(StandardCharsets.US_ASCII);

        FTPSClient c = wharf.ftps(address, false);
        WharfSupport.loginProtected(c, "finn", "finn-secret-6");
        assertFalse(c.storeFile("tool", new ByteArrayInputStream(ELF)));
        assertEquals("553 Executables are not accepted here.", c.getReplyString().trim());
        assertFalse(Files.exists(home.resolve("tool")));
        assertTrue(c.storeFile("report.txt", new ByteArrayInputStream(report)));
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(report))
                + "  report.txt\n";
        Path checksum = home.resolve("report.txt.sha256");
        long end = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS;
        while (!Files.exists(checksum) && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        assertEquals(expected, Files.readString(checksum));

        Bundle example = null;
        for (Bundle b : context.getBundles()) {
            if ("wharf-example-upload-checks".equals(b.getSymbolicName())) {
                example = b;
            }
        }
        assertTrue("the example bundle is installed", example != null);
        example.stop();
        assertTrue("without the example bundle the same upload is taken",
                c.storeFile("tool", new ByteArrayInputStream(ELF)));
        assertArrayEquals(ELF, Files.readAllBytes(home.resolve("tool")));
        c.disconnect();
    }
}
