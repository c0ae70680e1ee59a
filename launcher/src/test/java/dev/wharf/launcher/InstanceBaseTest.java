package dev.wharf.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A new base directory starts with the installation's configuration; an existing one is never overwritten. */
public class InstanceBaseTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aNewBaseGetsACopyOfTheDefaultConfigurationOnce() throws Exception {
        Path home = tmp.newFolder("installation").toPath();
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/dev.wharf.ftp.listener-default.cfg"), "name = default\n");
        Path base = tmp.getRoot().toPath().resolve("instance");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        InstanceBase.prepare(home, base, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertEquals("name = default\n", Files.readString(base.resolve("etc/dev.wharf.ftp.listener-default.cfg")));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("New base directory " + base));

        Files.writeString(base.resolve("etc/dev.wharf.ftp.listener-default.cfg"), "name = mine\n");
        Files.writeString(home.resolve("etc/dev.wharf.ftp.listener-extra.cfg"), "name = extra\n");
        InstanceBase.prepare(home, base, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals("name = mine\n", Files.readString(base.resolve("etc/dev.wharf.ftp.listener-default.cfg")));
        assertFalse(Files.exists(base.resolve("etc/dev.wharf.ftp.listener-extra.cfg")));
    }

    @Test
    public void runningInPlaceCopiesNothing() throws Exception {
        Path home = tmp.getRoot().toPath();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InstanceBase.prepare(home, home, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
