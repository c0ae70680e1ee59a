package dev.wharf.ftp.impl.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/** A directory held open by the JDK's {@link SecureDirectoryStream}: every operation is relative to its handle. */
final class SecureDirectory implements DirectoryHandle {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final SecureDirectoryStream<Path> stream;
    private final Path path;

    SecureDirectory(SecureDirectoryStream<Path> stream, Path path) {
        this.stream = stream;
        this.path = path;
    }

    private static Path name(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a single name: " + name); // a caller's bug, never input
        }
        return Path.of(name);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public BasicFileAttributes attributes() throws IOException {
        PosixFileAttributeView posix = stream.getFileAttributeView(PosixFileAttributeView.class);
        return posix != null ? posix.readAttributes()
                : stream.getFileAttributeView(BasicFileAttributeView.class).readAttributes();
    }

    @Override
    public BasicFileAttributes entry(String name) throws IOException {
        try {
            PosixFileAttributeView posix = stream.getFileAttributeView(name(name), PosixFileAttributeView.class,
                    NOFOLLOW);
            return posix != null ? posix.readAttributes()
                    : stream.getFileAttributeView(name(name), BasicFileAttributeView.class, NOFOLLOW).readAttributes();
        } catch (NoSuchFileException none) {
            return null;
        }
    }

    @Override
    public DirectoryHandle openDirectory(String name) throws IOException {
        return new SecureDirectory(stream.newDirectoryStream(name(name), NOFOLLOW), path.resolve(name));
    }

    @Override
    public FileChannel openFile(String name, Set<? extends OpenOption> options, FileAttribute<?>... attributes)
            throws IOException {
        Set<OpenOption> all = new HashSet<>(options);
        all.add(NOFOLLOW);
        SeekableByteChannel channel = stream.newByteChannel(name(name), all, attributes);
        if (channel instanceof FileChannel file) {
            return file; // the JDK's Unix implementation: zero-copy transfers work on it
        }
        channel.close();
        throw new IOException("the file system gave no file channel for " + path.resolve(name));
    }

    @Override
    public void deleteFile(String name) throws IOException {
        stream.deleteFile(name(name));
    }

    @Override
    public void deleteDirectory(String name) throws IOException {
        stream.deleteDirectory(name(name));
    }

    @Override
    public void move(String name, DirectoryHandle target, String targetName) throws IOException {
        if (!(target instanceof SecureDirectory other)) {
            throw new ProviderMismatchException();
        }
        stream.move(name(name), other.stream, name(targetName));
    }

    @Override
    public void setModifiedTime(String name, FileTime time) throws IOException {
        stream.getFileAttributeView(name(name), BasicFileAttributeView.class, NOFOLLOW).setTimes(time, null, null);
    }

    @Override
    public void setPermissions(String name, Set<PosixFilePermission> permissions) throws IOException {
        PosixFileAttributeView view = stream.getFileAttributeView(name(name), PosixFileAttributeView.class, NOFOLLOW);
        if (view == null) {
            throw new UnsupportedOperationException("no POSIX permissions");
        }
        view.setPermissions(permissions);
    }

    @Override
    public Iterator<String> names() {
        Iterator<Path> entries = stream.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public String next() {
                return String.valueOf(entries.next().getFileName()); // entries are single names here
            }
        };
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
