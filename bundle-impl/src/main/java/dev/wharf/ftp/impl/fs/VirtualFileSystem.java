package dev.wharf.ftp.impl.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A user's view of the disk: virtual absolute paths ({@code /a/b}) below the home directory, the only way commands
 * reach files.
 *
 * <p>A client's path is normalised as a string first ({@code ..} never climbs above {@code /}). Every operation
 * then starts with a {@link RootedWalk} from the root through open directory handles ({@link DirectoryHandle}),
 * which follows links only while they stay inside the root. So links that stay inside the home keep working,
 * links that leave it are refused, and swapping a directory for a link while an operation runs (a user with a
 * shell on the same storage, say) cannot move the operation outside. Files are opened, created, renamed and
 * deleted relative to the handle the walk ends in ({@link Place}), never by a path string.
 */
public final class VirtualFileSystem {

    static final String TEMP_PREFIX = ".wharf-";

    private final Path root;
    private final RootedWalk walk;
    private final boolean handles;
    private final AccessRules rules;
    private final Quota quota;
    private final FileModes modes;

    /** @param home the user's home; it must exist */
    public VirtualFileSystem(Path home) throws IOException {
        this(home, AccessRules.FULL, null, FileModes.DEFAULT);
    }

    /**
     * @param home the user's home; it must exist
     * @param rules what the user may change (a read-only view with a drop box, say)
     * @param quota the user's quota on it, or null for none
     * @param modes the permissions of the files and directories the user creates
     */
    public VirtualFileSystem(Path home, AccessRules rules, Quota quota, FileModes modes) throws IOException {
        this.rules = rules;
        this.quota = quota;
        this.modes = modes;
        this.root = home.toRealPath();
        this.walk = new RootedWalk(root);
        try (DirectoryStream<Path> probe = Files.newDirectoryStream(root)) {
            this.handles = probe instanceof SecureDirectoryStream;
        }
    }

    /** The user's quota, or null when there is none. */
    public Quota quota() {
        return quota;
    }

    /** Whether operations are made through directory handles (all but Windows), which no link swap can race. */
    public boolean raceFree() {
        return handles;
    }

    /**
     * Where a normalised virtual path is on disk, by name only (links are not followed): for logs, events and
     * hooks, never for opening files.
     *
     * @return the path, or null for a name the file system cannot hold (a NUL in it, say)
     */
    public Path realPath(String virtualPath) {
        String relative = normalize("/", virtualPath).substring(1);
        try {
            return relative.isEmpty() ? root : root.resolve(relative);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * Resolves what a client typed against the current directory into a normalised virtual path.
     *
     * @param cwd the current virtual directory, absolute
     * @param argument the client's path: absolute, relative, with {@code .} and {@code ..}; empty means cwd
     */
    public static String normalize(String cwd, String argument) {
        String combined = argument == null || argument.isEmpty() ? cwd
                : argument.startsWith("/") ? argument : cwd + "/" + argument;
        Deque<String> parts = new ArrayDeque<>();
        for (String part : combined.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
    }

    /** What the user may change here. */
    public AccessRules rules() {
        return rules;
    }

    static List<String> components(String virtualPath) {
        String normalized = normalize("/", virtualPath);
        List<String> out = new ArrayList<>();
        if (!normalized.equals("/")) {
            for (String part : normalized.substring(1).split("/")) {
                if (part.indexOf('\0') >= 0) {
                    throw new InvalidPathException(virtualPath, "a NUL character");
                }
                out.add(part);
            }
        }
        return out;
    }

    private static String virtual(List<String> components) {
        return "/" + String.join("/", components);
    }

    // ---- reading ----

    /** The attributes of what the path names, links inside the root followed. */
    public BasicFileAttributes attributes(String virtualPath) throws IOException {
        try (Place p = walk.locate(virtualPath, true)) {
            rules.checkLookup(p.resolved(), virtualPath);
            if (p.leaf == null) {
                return p.directory.attributes();
            }
            BasicFileAttributes a = p.directory.entry(p.leaf);
            if (a == null) {
                throw new NoSuchFileException(virtualPath);
            }
            return a;
        }
    }

    /** Whether the path names something inside the root (a link out of it names nothing). */
    public boolean exists(String virtualPath) {
        try {
            attributes(virtualPath);
            return true;
        } catch (IOException | InvalidPathException e) {
            return false;
        }
    }

    /**
     * Whether there is an entry of that name, links not followed: a link that leaves the root, or leads nowhere,
     * is still an entry of the user's own (it can be renamed or deleted).
     */
    public boolean hasEntry(String virtualPath) {
        try (Place p = walk.locate(virtualPath, false)) {
            return p.leaf == null || p.directory.entry(p.leaf) != null;
        } catch (IOException | InvalidPathException e) {
            return false;
        }
    }

    public boolean isDirectory(String virtualPath) {
        try {
            return attributes(virtualPath).isDirectory();
        } catch (IOException | InvalidPathException e) {
            return false;
        }
    }

    /** Opens a plain file for reading. */
    public FileChannel openForReading(String virtualPath) throws IOException {
        try (Place p = walk.locate(virtualPath, true)) {
            rules.checkRead(p.resolved(), virtualPath);
            if (p.leaf == null) {
                throw new NotAFileException(virtualPath, true, "is a directory");
            }
            requirePlainFile(p, virtualPath, false);
            return p.directory.openFile(p.leaf, Set.of(StandardOpenOption.READ));
        }
    }

    /**
     * Checks that the place holds a plain file, or (with {@code mayBeMissing}) nothing yet; returns its attributes
     * (null for nothing).
     */
    private static BasicFileAttributes requirePlainFile(Place p, String virtualPath, boolean mayBeMissing)
            throws IOException {
        BasicFileAttributes a = p.directory.entry(p.leaf);
        if (a == null) {
            if (mayBeMissing) {
                return null;
            }
            throw new NoSuchFileException(virtualPath);
        }
        if (a.isDirectory()) {
            throw new NotAFileException(virtualPath, true, "is a directory");
        }
        if (!a.isRegularFile()) {
            throw new NotAFileException(virtualPath, false, "is not a plain file");
        }
        return a;
    }

    /** One entry of a listing: its name, and its attributes (a link leaving the root: the link's own). */
    public record Entry(String name, BasicFileAttributes attributes) {
    }

    /**
     * The entries of a directory, or the one entry of a file, read while the listing is open. Links inside the root
     * show what they point to; links that leave it, or lead nowhere, show as links.
     */
    public Listing list(String virtualPath) throws IOException {
        Place p = walk.locate(virtualPath, true);
        try {
            rules.checkRead(p.resolved(), virtualPath);
            if (p.leaf == null) {
                return new Listing(p.directory, p.virtualPath());
            }
            BasicFileAttributes a = p.directory.entry(p.leaf);
            if (a == null) {
                throw new NoSuchFileException(virtualPath);
            }
            if (!a.isDirectory()) {
                p.close();
                return new Listing(List.of(new Entry(p.leaf, a)));
            }
            DirectoryHandle dir = p.directory.openDirectory(p.leaf);
            p.close();
            return new Listing(dir, p.virtualPath());
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** A listing being read; close it when done. */
    public final class Listing implements Iterable<Entry>, Closeable {
        private final DirectoryHandle directory;
        private final String path;
        private final List<Entry> single;

        private Listing(DirectoryHandle directory, String path) {
            this.directory = directory;
            this.path = path;
            this.single = null;
        }

        private Listing(List<Entry> single) {
            this.directory = null;
            this.path = null;
            this.single = single;
        }

        /** Whether this lists a directory (rather than naming one file). */
        public boolean isDirectory() {
            return directory != null;
        }

        @Override
        public Iterator<Entry> iterator() {
            if (single != null) {
                return single.iterator();
            }
            Iterator<String> names;
            try {
                names = directory.names();
            } catch (IOException e) {
                return List.<Entry>of().iterator();
            }
            return new Iterator<>() {
                private Entry next = advance();

                private Entry advance() {
                    while (names.hasNext()) {
                        String name = names.next();
                        if (name.startsWith(TEMP_PREFIX)) {
                            continue; // an upload or directory still being made
                        }
                        Entry e = entry(name);
                        if (e != null) {
                            return e;
                        }
                    }
                    return null;
                }

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public Entry next() {
                    if (next == null) {
                        throw new NoSuchElementException();
                    }
                    Entry e = next;
                    next = advance();
                    return e;
                }
            };
        }

        /** An entry, or null when it vanished while listing. */
        private Entry entry(String name) {
            try {
                BasicFileAttributes a = directory.entry(name);
                if (a == null) {
                    return null;
                }
                if (a.isSymbolicLink()) {
                    try {
                        return new Entry(name, attributes(path.equals("/") ? "/" + name : path + "/" + name));
                    } catch (IOException | InvalidPathException outsideOrNowhere) {
                        return new Entry(name, a);
                    }
                }
                return new Entry(name, a);
            } catch (IOException vanished) {
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            if (directory != null) {
                directory.close();
            }
        }
    }

    // ---- changing ----

    /** MKD: creates a directory; fails if anything exists there. */
    public void createDirectory(String virtualPath) throws IOException {
        try (Place p = walk.locate(virtualPath, false)) {
            rules.checkChange(p.resolved(), virtualPath);
            if (p.leaf == null || p.directory.entry(p.leaf) != null) {
                throw new FileAlreadyExistsException(virtualPath);
            }
            // There is no mkdirat in the JDK: the directory is made in the root, whose own path no client can
            // change, and moved into place between directory handles.
            String temp = tempName("mkd");
            try (DirectoryHandle rootDir = walk.openRoot()) {
                Files.createDirectory(root.resolve(temp), modes.directoryAttribute());
                try {
                    exactModes(rootDir, temp, modes.directory());
                    rootDir.move(temp, p.directory, p.leaf);
                    return;
                } catch (IOException e) {
                    rootDir.deleteDirectory(temp);
                    if (p.directory.entry(p.leaf) != null) {
                        throw new FileAlreadyExistsException(virtualPath);
                    }
                }
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (IOException rootNotWritableOrOtherDevice) {
                // made below by path instead
            }
            createDirectoryByPath(p, virtualPath);
        }
    }

    /**
     * MKD where the root is read-only or the parent is on another device: made by path, then checked through the
     * parent's handle. A swap that sent the new directory elsewhere is undone and refused.
     */
    private void createDirectoryByPath(Place p, String virtualPath) throws IOException {
        Path byPath = p.directory.path().resolve(p.leaf);
        Files.createDirectory(byPath, modes.directoryAttribute());
        BasicFileAttributes made = p.directory.entry(p.leaf);
        if (made == null || !made.isDirectory()) {
            try {
                Files.deleteIfExists(byPath);
            } catch (IOException ignored) {
                // refused below in any case
            }
            throw new FileSystemException(virtualPath, null, "the directory changed while it was being created");
        }
        exactModes(p.directory, p.leaf, modes.directory());
    }

    /**
     * Sets a new entry's permissions exactly: creation gave at most these (the process umask may have taken some
     * away). Nothing to do where the file system has no POSIX permissions.
     */
    private static void exactModes(DirectoryHandle directory, String name, Set<PosixFilePermission> permissions)
            throws IOException {
        if (FileModes.creationIsExact(permissions)) {
            return; // the process umask takes nothing from these: no further system call
        }
        try {
            directory.setPermissions(name, permissions);
        } catch (UnsupportedOperationException noPosix) {
            // Windows: permissions are not modes
        }
    }

    /** Creates a file with the user's permissions (a new file only: {@code CREATE_NEW}). */
    private FileChannel createFile(DirectoryHandle directory, String name) throws IOException {
        FileChannel channel = directory.openFile(name, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
                modes.fileAttribute());
        try {
            exactModes(directory, name, modes.file());
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** DELE: removes a file, or a link itself (never what it points to). */
    public void deleteFile(String virtualPath) throws IOException {
        try (Place p = walk.locate(virtualPath, false)) {
            rules.checkChange(p.resolved(), virtualPath);
            BasicFileAttributes a = p.leaf == null ? p.directory.attributes() : p.directory.entry(p.leaf);
            if (a == null) {
                throw new NoSuchFileException(virtualPath);
            }
            if (a.isDirectory()) {
                throw new NotAFileException(virtualPath, true, "is a directory");
            }
            p.directory.deleteFile(p.leaf);
            released(a);
        }
    }

    /** RMD: removes an empty directory (not a link to one). */
    public void deleteDirectory(String virtualPath) throws IOException {
        try (Place p = walk.locate(virtualPath, false)) {
            rules.checkChange(p.resolved(), virtualPath);
            if (p.leaf == null) {
                throw new FileSystemException(virtualPath, null, "the root directory cannot be removed");
            }
            BasicFileAttributes a = p.directory.entry(p.leaf);
            if (a == null) {
                throw new NoSuchFileException(virtualPath);
            }
            if (!a.isDirectory()) {
                throw new NotDirectoryException(virtualPath);
            }
            p.directory.deleteDirectory(p.leaf);
        }
    }

    /** RNFR/RNTO: renames an entry (a link itself, not its target), replacing a file of the new name. */
    public void rename(String from, String to) throws IOException {
        try (Place source = walk.locate(from, false); Place target = walk.locate(to, false)) {
            rules.checkChange(source.resolved(), from);
            rules.checkChange(target.resolved(), to);
            if (source.leaf == null || target.leaf == null) {
                throw new FileSystemException(from, to, "the root directory cannot be renamed or replaced");
            }
            if (source.directory.entry(source.leaf) == null) {
                throw new NoSuchFileException(from);
            }
            BasicFileAttributes replaced = normalize("/", from).equals(normalize("/", to)) ? null
                    : target.directory.entry(target.leaf);
            source.directory.move(source.leaf, target.directory, target.leaf);
            released(replaced);
        }
    }

    /** A file that was deleted or replaced no longer counts against the quota. */
    private void released(BasicFileAttributes gone) {
        if (quota != null && gone != null && gone.isRegularFile()) {
            quota.add(-gone.size(), -1);
        }
    }

    /** MFMT: sets the modification time of what the path names. */
    public void setModifiedTime(String virtualPath, FileTime time) throws IOException {
        try (Place p = walk.locate(virtualPath, true)) {
            rules.checkChange(p.resolved(), virtualPath);
            requireEntry(p, virtualPath);
            p.directory.setModifiedTime(p.leaf, time);
        }
    }

    /** SITE CHMOD. */
    public void setPermissions(String virtualPath, Set<PosixFilePermission> permissions) throws IOException {
        try (Place p = walk.locate(virtualPath, true)) {
            rules.checkChange(p.resolved(), virtualPath);
            requireEntry(p, virtualPath);
            p.directory.setPermissions(p.leaf, permissions);
        }
    }

    private static void requireEntry(Place p, String virtualPath) throws IOException {
        if (p.leaf == null) {
            throw new FileSystemException(virtualPath, null, "the root directory cannot be changed");
        }
        if (p.directory.entry(p.leaf) == null) {
            throw new NoSuchFileException(virtualPath);
        }
    }

    /**
     * STOR: a new version of a file, written under a short temporary name beside it (short, so that a target name
     * near the file system's limit still fits) and renamed over it by {@link Upload#commit()}.
     */
    public Upload replace(String virtualPath) throws IOException {
        Place p = walk.locate(virtualPath, false);
        try {
            if (p.leaf == null) {
                throw new NotAFileException(virtualPath, true, "is a directory");
            }
            BasicFileAttributes a = p.directory.entry(p.leaf);
            if (a != null && a.isDirectory()) {
                throw new NotAFileException(virtualPath, true, "is a directory");
            }
            if (rules.checkNewFile(p.at, virtualPath)) {
                // a drop box: the file is created under its final name, which fails if it exists, so nothing is
                // ever replaced; a failed upload is removed as a temporary one would be
                admit(0, true, virtualPath);
                FileChannel channel;
                try {
                    channel = createFile(p.directory, p.leaf);
                } catch (IOException | RuntimeException e) {
                    unadmit(true);
                    throw e;
                }
                return new Upload(p.directory, p.leaf, p.leaf, p.virtualPath(), Upload.Kind.NEW, channel, quota, 0,
                        true);
            }
            boolean newFile = a == null || !a.isRegularFile();
            long base = newFile ? 0 : a.size();
            admit(base, newFile, virtualPath);
            String temp = tempName("part");
            FileChannel channel;
            try {
                channel = createFile(p.directory, temp);
            } catch (IOException | RuntimeException e) {
                unadmit(newFile);
                throw e;
            }
            return new Upload(p.directory, temp, p.leaf, p.virtualPath(), Upload.Kind.REPLACE, channel, quota, base,
                    newFile);
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** APPE, or STOR after REST: writes into the file itself (created when missing), links inside the root followed. */
    public Upload writeInPlace(String virtualPath) throws IOException {
        Place p = walk.locate(virtualPath, true);
        try {
            rules.checkChange(p.resolved(), virtualPath);
            if (p.leaf == null) {
                throw new NotAFileException(virtualPath, true, "is a directory");
            }
            BasicFileAttributes a = requirePlainFile(p, virtualPath, true);
            boolean newFile = a == null;
            long base = newFile ? 0 : a.size();
            admit(0, newFile, virtualPath);
            FileChannel channel;
            try {
                channel = newFile ? createFile(p.directory, p.leaf)
                        : p.directory.openFile(p.leaf, Set.of(StandardOpenOption.WRITE));
            } catch (IOException | RuntimeException e) {
                unadmit(newFile);
                throw e;
            }
            return new Upload(p.directory, p.leaf, p.leaf, p.virtualPath(), Upload.Kind.IN_PLACE, channel, quota,
                    base, newFile);
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /**
     * STOU: a new file under the name given or, when that is taken, the first free of {@code name.1},
     * {@code name.2}, ...
     */
    public Upload createUnique(String virtualPath) throws IOException {
        Place p = walk.locate(virtualPath, false);
        try {
            rules.checkNewFile(p.at, virtualPath);
            if (p.leaf == null) {
                throw new NotAFileException(virtualPath, true, "is a directory");
            }
            admit(0, true, virtualPath);
            for (int i = 0; i < 10_000; i++) {
                String name = i == 0 ? p.leaf : p.leaf + "." + i;
                try {
                    FileChannel channel = createFile(p.directory, name);
                    List<String> path = new ArrayList<>(p.at);
                    path.add(name);
                    return new Upload(p.directory, name, name, virtual(path), Upload.Kind.NEW, channel, quota, 0,
                            true);
                } catch (FileAlreadyExistsException taken) {
                    // try the next name
                } catch (IOException | RuntimeException e) {
                    unadmit(true);
                    throw e;
                }
            }
            unadmit(true);
            throw new FileAlreadyExistsException(virtualPath, null, "no unique name is free");
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** Checks a new write against the quota (and counts a new file) before its file is opened. */
    private void admit(long credit, boolean newFile, String virtualPath) throws StorageFailure {
        if (quota != null) {
            quota.admit(credit, newFile, virtualPath);
        }
    }

    /** The write admitted could not even open its file. */
    private void unadmit(boolean newFile) {
        if (quota != null && newFile) {
            quota.add(0, -1);
        }
    }

    /** Bytes that can still be stored below the root: the disk's free space, or less what the quota leaves. */
    public long usableSpace() throws IOException {
        long disk = Files.getFileStore(root).getUsableSpace();
        return quota == null ? disk : Math.min(disk, quota.availableBytes());
    }

    private static String tempName(String kind) {
        return TEMP_PREFIX + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + "." + kind;
    }

    /** Thrown for a path that would leave the user's root. */
    public static final class PathOutsideRootException extends FileSystemException {
        private static final long serialVersionUID = 1L;

        public PathOutsideRootException(String path) {
            super(path, null, "outside the user's root");
        }
    }
}
