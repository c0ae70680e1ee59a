package dev.wharf.ftp.impl.fs;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A user's view of the disk: virtual absolute paths ({@code /a/b}) rooted at the home directory. Names are
 * resolved as strings first ({@code ..} can never climb above {@code /}), then mapped below the real root;
 * finally the nearest existing ancestor is resolved with symbolic links followed and must still lie inside the
 * root, so a link pointing out of the home directory is refused like any other escape.
 */
public final class VirtualFileSystem {

    private final Path root;

    /** @param home the user's home; it must exist */
    public VirtualFileSystem(Path home) throws IOException {
        this.root = home.toRealPath();
    }

    public Path root() {
        return root;
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

    /**
     * Maps a virtual path to the real path below the root, refusing anything that would leave it.
     *
     * @throws PathOutsideRootException if the path, or a link on the way, leads outside the root
     * @throws InvalidPathException if the name cannot exist on this file system (e.g. it contains NUL)
     */
    public Path toReal(String virtualPath) throws IOException {
        String normalized = normalize("/", virtualPath);
        Path real = normalized.equals("/") ? root : root.resolve(normalized.substring(1)).normalize();
        if (!real.startsWith(root)) {
            throw new PathOutsideRootException(virtualPath);
        }
        Path existing = real;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new PathOutsideRootException(virtualPath);
        }
        Path resolved;
        try {
            resolved = existing.toRealPath(); // follows every link on the way, the last one included
        } catch (java.nio.file.NoSuchFileException dangling) {
            throw new PathOutsideRootException(virtualPath); // a link to nowhere: where it points is unknown
        }
        if (!resolved.startsWith(root)) {
            throw new PathOutsideRootException(virtualPath);
        }
        return real;
    }

    /** The virtual path of a real path below the root. */
    public String toVirtual(Path real) {
        Path relative = root.relativize(real);
        String s = relative.toString().replace(real.getFileSystem().getSeparator(), "/");
        return s.isEmpty() ? "/" : "/" + s;
    }

    /** Thrown for a path that would leave the user's root. */
    public static final class PathOutsideRootException extends FileSystemException {
        private static final long serialVersionUID = 1L;

        public PathOutsideRootException(String path) {
            super(path, null, "outside the user's root");
        }
    }
}
