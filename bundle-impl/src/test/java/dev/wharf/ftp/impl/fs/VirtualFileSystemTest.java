package dev.wharf.ftp.impl.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class VirtualFileSystemTest {

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void normalizesWithoutEverClimbingAboveTheRoot() {
        assertEquals("/", VirtualFileSystem.normalize("/", ""));
        assertEquals("/a/b", VirtualFileSystem.normalize("/a", "b"));
        assertEquals("/b", VirtualFileSystem.normalize("/a", "/b"));
        assertEquals("/", VirtualFileSystem.normalize("/a", "../../.."));
        assertEquals("/etc/passwd", VirtualFileSystem.normalize("/", "../../etc/passwd"));
        assertEquals("/a/c", VirtualFileSystem.normalize("/a/b", "./../c//"));
        assertEquals("/-dash/with space", VirtualFileSystem.normalize("/", "-dash/with space"));
    }

    @Test
    public void mapsBelowTheRootAndRefusesLinksThatLeaveIt() throws Exception {
        Path home = temp.newFolder("home").toPath();
        Path outside = temp.newFolder("outside").toPath();
        Files.createDirectories(home.resolve("in"));
        Files.createSymbolicLink(home.resolve("inner-link"), home.resolve("in"));
        Files.createSymbolicLink(home.resolve("out-link"), outside);
        Files.createSymbolicLink(home.resolve("dangling"), outside.resolve("nothing"));
        VirtualFileSystem fs = new VirtualFileSystem(home);
        Path root = home.toRealPath();
        assertEquals(root.resolve("in/new.txt"), fs.toReal("/in/new.txt"));
        assertEquals(root.resolve("inner-link"), fs.toReal("/inner-link"));
        assertEquals(root.resolve("etc/passwd"), fs.toReal("/../../etc/passwd"));
        assertThrows(VirtualFileSystem.PathOutsideRootException.class, () -> fs.toReal("/out-link"));
        assertThrows(VirtualFileSystem.PathOutsideRootException.class, () -> fs.toReal("/out-link/x.txt"));
        assertThrows(VirtualFileSystem.PathOutsideRootException.class, () -> fs.toReal("/dangling"));
        assertEquals("/in", fs.toVirtual(root.resolve("in")));
        assertEquals("/", fs.toVirtual(root));
    }
}
