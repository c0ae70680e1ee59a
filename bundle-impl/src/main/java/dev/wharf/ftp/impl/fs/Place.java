package dev.wharf.ftp.impl.fs;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a {@link RootedWalk} ended: the open directory that holds the last name, and that name (null for the
 * root). Operations on the name go through the directory, never through a path string. Close it when done.
 */
final class Place implements Closeable {
    final DirectoryHandle directory;
    final String leaf;
    /** The names from the root to {@link #directory}, links on the way followed. */
    final List<String> at;

    Place(DirectoryHandle directory, String leaf, List<String> at) {
        this.directory = directory;
        this.leaf = leaf;
        this.at = at;
    }

    String virtualPath() {
        return "/" + String.join("/", resolved());
    }

    /** Where the place really is: the names from the root, links on the way followed. */
    List<String> resolved() {
        List<String> all = new ArrayList<>(at);
        if (leaf != null) {
            all.add(leaf);
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        directory.close();
    }
}
