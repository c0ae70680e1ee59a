package dev.wharf.ftp.impl.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The walk every file operation starts with, and the only code that decides what a path names: from the root
 * one name at a time through open directory handles, without ever letting the operating system follow a symbolic
 * link. A link met on the way is read here and its target, taken as a path, must lie inside the root; the walk
 * then starts again from the root with the target in the link's place. A directory swapped for a link after it
 * was checked fails to open (the handle is opened without following links) instead of being followed.
 */
final class RootedWalk {

    /** As the kernel's limit: more links than this on one path is a loop. */
    private static final int MAX_LINKS = 40;

    private final Path root;

    /** @param root the user's home, as a real path */
    RootedWalk(Path root) {
        this.root = root;
    }

    /** Opens the root: through a handle where the platform has them (all but Windows), else by path. */
    DirectoryHandle openRoot() throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(root);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return new SecureDirectory(secure, root);
        }
        stream.close();
        return new PathDirectory(root);
    }

    /**
     * Walks to the directory that holds the path's last name.
     *
     * @param followLast whether a link in the last place is followed too (to read or write what it names) or left
     *     as it is (to delete or rename the link itself)
     * @throws VirtualFileSystem.PathOutsideRootException when a link on the way leads outside the root
     */
    Place locate(String virtualPath, boolean followLast) throws IOException {
        List<String> parts = VirtualFileSystem.components(virtualPath);
        int links = 0;
        while (true) {
            DirectoryHandle dir = openRoot();
            List<String> at = new ArrayList<>();
            List<String> rewritten = null;
            try {
                for (int i = 0; i < parts.size(); i++) {
                    String name = parts.get(i);
                    boolean last = i == parts.size() - 1;
                    if (last && !followLast) {
                        return new Place(dir, name, at);
                    }
                    BasicFileAttributes a = dir.entry(name);
                    if (a != null && a.isSymbolicLink()) {
                        if (++links > MAX_LINKS) {
                            throw new FileSystemLoopException(virtualPath);
                        }
                        try {
                            rewritten = new ArrayList<>(linkTarget(dir, at, name, virtualPath));
                        } catch (NotLinkException swapped) {
                            rewritten = new ArrayList<>(at); // no longer a link (swapped meanwhile): walk again
                            rewritten.add(name);
                        }
                        rewritten.addAll(parts.subList(i + 1, parts.size()));
                        break;
                    }
                    if (last) {
                        return new Place(dir, name, at);
                    }
                    if (a == null) {
                        throw new NoSuchFileException(virtual(parts.subList(0, i + 1)));
                    }
                    if (!a.isDirectory()) {
                        throw new NotDirectoryException(virtual(parts.subList(0, i + 1)));
                    }
                    DirectoryHandle next = dir.openDirectory(name); // fails if swapped for a link meanwhile
                    dir.close();
                    dir = next;
                    at.add(name);
                }
                if (rewritten == null) {
                    return new Place(dir, null, at); // the root itself
                }
            } catch (IOException | RuntimeException e) {
                dir.close();
                throw e;
            }
            dir.close();
            parts = rewritten; // start again from the root with the link's target in the link's place
        }
    }

    /**
     * A link's target as virtual components, or {@link PathOutsideRootException} when it leaves the root. The
     * link is read by its path, which a swap could redirect; what is read is only ever a path to check here.
     */
    private List<String> linkTarget(DirectoryHandle dir, List<String> at, String name, String asked)
            throws IOException {
        Path target = Files.readSymbolicLink(dir.path().resolve(name));
        Path resolved = root.resolve(String.join("/", at)).resolve(target).normalize();
        if (!resolved.startsWith(root)) {
            throw new VirtualFileSystem.PathOutsideRootException(asked);
        }
        List<String> out = new ArrayList<>();
        for (Path p : root.relativize(resolved)) {
            if (!p.toString().isEmpty()) {
                out.add(p.toString());
            }
        }
        return out;
    }

    private static String virtual(List<String> components) {
        return "/" + String.join("/", components);
    }
}
