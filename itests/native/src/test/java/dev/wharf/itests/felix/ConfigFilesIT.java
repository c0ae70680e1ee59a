package dev.wharf.itests.felix;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.wharf.itests.support.WharfSupport;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Where the launcher names a folder for them (framework property {@code wharf.config.files}), Wharf configurations
 * made through ConfigAdmin without a file (the Web Console's forms) are kept there as .cfg files, a user's only
 * with its password hashed, and deleting the configuration deletes the file.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigFilesIT {

    private static final Path FOLDER = new File(System.getProperty("wharf.itest.dir", "target/itest"))
            .getAbsoluteFile().toPath().resolve("config-files-etc");

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    private WharfSupport wharf;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() throws Exception {
        Files.createDirectories(FOLDER);
        return options(
                frameworkProperty("wharf.config.files").value(FOLDER.toString()),
                LauncherBundles.felixWithWharf("config-files"));
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
    public void aUserMadeWithoutAFileIsKeptWithItsHashAndGoesWithItsConfiguration() throws Exception {
        Path home = wharf.dir("home-kept");
        Configuration user = wharf.user("kept", "Kept-secret-7", home);
        Path file = FOLDER.resolve("dev.wharf.ftp.user-kept.cfg");
        String written = awaitFile(file);
        assertTrue(written, written.contains("$argon2id$"));
        assertFalse("never the clear password: " + written, written.contains("Kept-secret-7"));
        assertTrue(written, written.contains(home.toString()));
        assertTrue("the configuration knows its file now", String.valueOf(
                wharf.stored(user.getPid()).get("felix.fileinstall.filename")).endsWith("dev.wharf.ftp.user-kept.cfg"));

        wharf.delete(user);
        long end = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS;
        while (Files.exists(file) && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        assertFalse("deleting the configuration deletes its file", Files.exists(file));
    }

    @Test
    public void aListenerMadeWithoutAFileIsKept() throws Exception {
        wharf.listener("kept-listener", "tls.required", "none");
        String written = awaitFile(FOLDER.resolve("dev.wharf.ftp.listener-kept-listener.cfg"));
        // as written here (name=kept-listener), or as FileInstall rewrites it typed (name = "kept-listener")
        assertTrue(written, written.matches("(?s).*\\bname\\s*=\\s*\"?kept-listener.*"));
        assertTrue(written, written.matches("(?s).*\\btls\\.required\\s*=\\s*\"?none.*"));
    }

    private static String awaitFile(Path file) throws Exception {
        long end = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.ISO_8859_1);
            }
            Thread.sleep(100);
        }
        fail(file + " was not written; the folder holds " + Arrays.toString(file.getParent().toFile()
                .list()));
        return null;
    }
}
