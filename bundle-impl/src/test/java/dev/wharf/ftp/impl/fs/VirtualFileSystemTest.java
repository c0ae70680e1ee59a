package dev.wharf.ftp.impl.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The user's view of the disk: paths normalised without climbing above the root, links inside the root followed,
 * links leaving it refused for every kind of operation, uploads through short temporary names.
 */
public class VirtualFileSystemTest {

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    private Path home;
    private Path outside;
    private VirtualFileSystem fs;

    @Before
    public void setUp() throws Exception {
        home = temp.newFolder("home").toPath();
        outside = temp.newFolder("outside").toPath();
        Files.createDirectories(home.resolve("in/sub"));
        Files.writeString(home.resolve("in/file.txt"), "inside");
        Files.writeString(outside.resolve("secret.txt"), "outside secret");
        Files.createSymbolicLink(home.resolve("inner-link"), home.resolve("in"));
        Files.createSymbolicLink(home.resolve("relative-link"), Path.of("in/file.txt"));
        Files.createSymbolicLink(home.resolve("out-link"), outside);
        Files.createSymbolicLink(home.resolve("climb"), Path.of("../outside"));
        Files.createSymbolicLink(home.resolve("dangling"), outside.resolve("nothing"));
        Files.createSymbolicLink(home.resolve("loop"), home.resolve("loop"));
        fs = new VirtualFileSystem(home);
    }

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
    public void usesDirectoryHandlesOnThisPlatform() {
        assertTrue("openat-based handles on Linux", fs.raceFree());
    }

    @Test
    public void linksInsideTheRootWork() throws Exception {
        assertEquals("inside", read("/inner-link/file.txt"));
        assertEquals("inside", read("/relative-link"));
        assertTrue(fs.isDirectory("/inner-link/sub"));
        assertEquals(List.of("file.txt", "sub"), names("/inner-link"));
    }

    @Test
    public void linksLeavingTheRootAreRefusedForEveryOperation() throws Exception {
        for (String path : List.of("/out-link/secret.txt", "/climb/secret.txt", "/dangling")) {
            assertThrows(path, java.io.IOException.class, () -> fs.openForReading(path));
            assertThrows(path, java.io.IOException.class, () -> fs.attributes(path));
            assertFalse(path, fs.exists(path));
        }
        assertThrows(VirtualFileSystem.PathOutsideRootException.class, () -> fs.list("/out-link"));
        assertThrows(VirtualFileSystem.PathOutsideRootException.class, () -> fs.replace("/out-link/new.txt"));
        assertThrows(VirtualFileSystem.PathOutsideRootException.class, () -> fs.writeInPlace("/out-link/secret.txt"));
        assertThrows(VirtualFileSystem.PathOutsideRootException.class, () -> fs.createDirectory("/out-link/made"));
        assertThrows(VirtualFileSystem.PathOutsideRootException.class, () -> fs.deleteFile("/out-link/secret.txt"));
        assertThrows(VirtualFileSystem.PathOutsideRootException.class,
                () -> fs.rename("/out-link/secret.txt", "/stolen.txt"));
        assertThrows(VirtualFileSystem.PathOutsideRootException.class,
                () -> fs.setPermissions("/out-link/secret.txt", java.util.Set.of()));
        assertThrows(FileSystemLoopException.class, () -> fs.openForReading("/loop"));
        assertEquals("outside secret", Files.readString(outside.resolve("secret.txt")));
        assertEquals(List.of("secret.txt"), listOutside());
    }

    @Test
    public void aLinkThatLeavesTheRootIsListedAsTheLinkItselfAndCanBeRemoved() throws Exception {
        try (VirtualFileSystem.Listing listing = fs.list("/")) {
            for (VirtualFileSystem.Entry e : listing) {
                if (e.name().equals("out-link") || e.name().equals("dangling")) {
                    assertTrue(e.name(), e.attributes().isSymbolicLink());
                }
                if (e.name().equals("inner-link")) {
                    assertTrue(e.attributes().isDirectory());
                }
            }
        }
        assertTrue(fs.hasEntry("/out-link"));
        fs.deleteFile("/out-link");
        assertFalse(Files.exists(home.resolve("out-link"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue("the link's target is untouched", Files.isDirectory(outside));
    }

    @Test
    public void anUploadReplacesTheTargetOnlyWhenCommittedAndAShortTemporaryNameFitsAnyName() throws Exception {
        String longName = "x".repeat(250) + ".bin";
        Files.writeString(home.resolve("in").resolve(longName), "previous");
        Upload upload = fs.replace("/in/" + longName);
        upload.channel().write(ByteBuffer.wrap("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("previous", Files.readString(home.resolve("in").resolve(longName)));
        assertEquals(List.of("file.txt", "sub", longName), names("/in")); // the temporary file is not listed
        upload.commit();
        assertEquals("new", Files.readString(home.resolve("in").resolve(longName)));

        Upload failed = fs.replace("/in/" + longName);
        failed.channel().write(ByteBuffer.wrap("partial".getBytes(StandardCharsets.UTF_8)));
        failed.discard();
        assertEquals("new", Files.readString(home.resolve("in").resolve(longName)));
        try (var files = Files.list(home.resolve("in"))) {
            assertEquals(3, files.count());
        }
    }

    @Test
    public void directoriesAreMadeAndRemovedAndExistingOnesAreNotReplaced() throws Exception {
        fs.createDirectory("/in/made");
        assertTrue(Files.isDirectory(home.resolve("in/made")));
        assertThrows(FileAlreadyExistsException.class, () -> fs.createDirectory("/in/made"));
        assertThrows(FileAlreadyExistsException.class, () -> fs.createDirectory("/in/file.txt"));
        fs.deleteDirectory("/in/made");
        assertThrows(NoSuchFileException.class, () -> fs.deleteDirectory("/in/made"));
        try (var files = Files.list(home)) {
            assertTrue("no temporary directory left",
                    files.noneMatch(p -> p.getFileName().toString().startsWith(".wharf")));
        }
    }

    @Test
    public void stouPicksTheFirstFreeName() throws Exception {
        Upload first = fs.createUnique("/in/file.txt");
        assertEquals("/in/file.txt.1", first.virtualPath());
        first.commit();
        Upload second = fs.createUnique("/in/file.txt");
        assertEquals("/in/file.txt.2", second.virtualPath());
        second.discard();
        assertFalse(Files.exists(home.resolve("in/file.txt.2")));
    }

    /**
     * A read-only view with a drop box: new files go in, nothing there is read, listed, looked at or replaced,
     * nothing else changes, and a link does not get around either rule.
     */
    @Test
    public void aDropBoxTakesNewFilesOnlyAndShowsNothing() throws Exception {
        Files.createDirectories(home.resolve("incoming"));
        Files.writeString(home.resolve("incoming/earlier.txt"), "someone else's");
        Files.createSymbolicLink(home.resolve("in/to-box"), home.resolve("incoming"));
        VirtualFileSystem anon = new VirtualFileSystem(home, AccessRules.readOnly("/incoming"), null,
                FileModes.DEFAULT);

        Upload upload = anon.replace("/incoming/new.txt");
        upload.channel().write(ByteBuffer.wrap("dropped".getBytes(StandardCharsets.UTF_8)));
        upload.commit();
        assertEquals("dropped", Files.readString(home.resolve("incoming/new.txt")));
        assertTrue(anon.attributes("/incoming").isDirectory()); // the box itself can be entered

        assertThrows(FileAlreadyExistsException.class, () -> anon.replace("/incoming/earlier.txt"));
        assertEquals("someone else's", Files.readString(home.resolve("incoming/earlier.txt")));
        for (String path : List.of("/incoming/earlier.txt", "/in/to-box/earlier.txt")) {
            assertThrows(path, java.nio.file.AccessDeniedException.class, () -> anon.openForReading(path));
            assertThrows(path, java.nio.file.AccessDeniedException.class, () -> anon.attributes(path));
            assertThrows(path, java.nio.file.AccessDeniedException.class, () -> anon.writeInPlace(path));
            assertThrows(path, java.nio.file.AccessDeniedException.class, () -> anon.deleteFile(path));
        }
        for (String path : List.of("/incoming", "/in/to-box")) {
            assertThrows(path, java.nio.file.AccessDeniedException.class, () -> anon.list(path));
        }
        assertThrows(java.nio.file.AccessDeniedException.class, () -> anon.replace("/in/new.txt"));
        assertThrows(java.nio.file.AccessDeniedException.class, () -> anon.createDirectory("/incoming/dir"));
        assertThrows(java.nio.file.AccessDeniedException.class, () -> anon.deleteFile("/in/file.txt"));
        assertThrows(java.nio.file.AccessDeniedException.class, () -> anon.rename("/in/file.txt", "/incoming/x"));
        assertEquals("inside", new String(readAll(anon, "/in/file.txt"), StandardCharsets.UTF_8));
        assertFalse(Files.exists(home.resolve("in/new.txt")));
    }

    @Test
    public void aDropBoxThatIsALinkElsewhereTakesNothingThere() throws Exception {
        Files.createSymbolicLink(home.resolve("incoming"), home.resolve("in"));
        VirtualFileSystem anon = new VirtualFileSystem(home, AccessRules.readOnly("/incoming"), null,
                FileModes.DEFAULT);
        assertTrue(anon.rules().isDropBox("/incoming")); // as typed: the reply to STOR is not 'read-only'
        assertThrows(java.nio.file.AccessDeniedException.class, () -> anon.replace("/incoming/planted.txt"));
        assertFalse(Files.exists(home.resolve("in/planted.txt")));
    }

    private static byte[] readAll(VirtualFileSystem view, String path) throws Exception {
        try (FileChannel c = view.openForReading(path)) {
            ByteBuffer b = ByteBuffer.allocate((int) c.size());
            c.read(b);
            return b.array();
        }
    }

    private String read(String path) throws Exception {
        try (FileChannel c = fs.openForReading(path)) {
            ByteBuffer b = ByteBuffer.allocate((int) c.size());
            c.read(b);
            return new String(b.array(), StandardCharsets.UTF_8);
        }
    }

    private List<String> names(String path) throws Exception {
        List<String> out = new ArrayList<>();
        try (VirtualFileSystem.Listing listing = fs.list(path)) {
            listing.forEach(e -> out.add(e.name()));
        }
        out.sort(null);
        return out;
    }

    private List<String> listOutside() throws Exception {
        try (var files = Files.list(outside)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
