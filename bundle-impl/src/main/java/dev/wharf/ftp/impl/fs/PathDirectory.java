package dev.wharf.ftp.impl.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * A directory known by its path, for file systems where the JDK offers no {@link java.nio.file.SecureDirectoryStream}
 * (Windows). Each operation checks the entry without following links, but by path: a directory swapped for a
 * link between the check and the use is not caught here, as the README says.
 */
final class PathDirectory implements DirectoryHandle {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path path;
    private DirectoryStream<Path> listing;

    PathDirectory(Path path) {
        this.path = path;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public BasicFileAttributes attributes() throws IOException {
        return read(path);
    }

    private static BasicFileAttributes read(Path p) throws IOException {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW);
        } catch (UnsupportedOperationException noPosix) {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        }
    }

    @Override
    public BasicFileAttributes entry(String name) throws IOException {
        try {
            return read(path.resolve(name));
        } catch (NoSuchFileException none) {
            return null;
        }
    }

    @Override
    public DirectoryHandle openDirectory(String name) throws IOException {
        Path sub = path.resolve(name);
        if (!Files.isDirectory(sub, NOFOLLOW)) {
            throw new NotDirectoryException(sub.toString());
        }
        return new PathDirectory(sub);
    }

    @Override
    public FileChannel openFile(String name, Set<? extends OpenOption> options, FileAttribute<?>... attributes)
            throws IOException {
        Set<OpenOption> all = new HashSet<>(options);
        all.add(NOFOLLOW);
        boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
        return FileChannel.open(path.resolve(name), all, posix ? attributes : new FileAttribute<?>[0]);
    }

    @Override
    public void deleteFile(String name) throws IOException {
        Files.delete(path.resolve(name));
    }

    @Override
    public void deleteDirectory(String name) throws IOException {
        Files.delete(path.resolve(name));
    }

    @Override
    public void move(String name, DirectoryHandle target, String targetName) throws IOException {
        Files.move(path.resolve(name), target.path().resolve(targetName), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void setModifiedTime(String name, FileTime time) throws IOException {
        Files.getFileAttributeView(path.resolve(name), BasicFileAttributeView.class, NOFOLLOW)
                .setTimes(time, null, null);
    }

    @Override
    public void setPermissions(String name, Set<PosixFilePermission> permissions) throws IOException {
        Files.setPosixFilePermissions(path.resolve(name), permissions);
    }

    @Override
    public Iterator<String> names() throws IOException {
        listing = Files.newDirectoryStream(path);
        Iterator<Path> entries = listing.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public String next() {
                return String.valueOf(entries.next().getFileName()); // entries of a directory have a name
            }
        };
    }

    @Override
    public void close() throws IOException {
        if (listing != null) {
            listing.close();
        }
    }
}
