package dev.wharf.ftp.impl.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a home directory holds: its plain files and their bytes. Counted once by {@link #scan} when a user with a
 * quota first logs in, then kept up to date by the operations that change it (uploads, deletes, renames over a
 * file); the sessions of every user with that home share one instance. Links are not followed or counted, and
 * uploads still being written under their temporary names count through their own reservations instead.
 */
public final class HomeUsage {

    private long bytes;
    private long files;

    HomeUsage(long bytes, long files) {
        this.bytes = bytes;
        this.files = files;
    }

    /** Counts the plain files below the home (a directory that cannot be read counts as empty). */
    public static HomeUsage scan(Path home) throws IOException {
        long[] totals = new long[2];
        Files.walkFileTree(home, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                String name = String.valueOf(file.getFileName());
                if (a.isRegularFile() && !name.startsWith(VirtualFileSystem.TEMP_PREFIX)) {
                    totals[0] += a.size();
                    totals[1]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return new HomeUsage(totals[0], totals[1]);
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long files() {
        return files;
    }

    /**
     * Admits a new write before its file is opened: refused when the bytes are used up (counting {@code credit},
     * the bytes of a file it replaces) or a new file would exceed the file limit; the new file is counted now.
     */
    synchronized boolean admit(long credit, boolean newFile, long maxBytes, long maxFiles) {
        if (maxBytes > 0 && bytes - credit >= maxBytes) {
            return false;
        }
        if (newFile) {
            if (maxFiles > 0 && files >= maxFiles) {
                return false;
            }
            files++;
        }
        return true;
    }

    /** Counts {@code more} bytes unless that would exceed {@code maxBytes} (0: no limit). */
    synchronized boolean tryGrow(long more, long maxBytes) {
        if (maxBytes > 0 && bytes + more > maxBytes) {
            return false;
        }
        bytes += more;
        return true;
    }

    /** Applies a change that happened (a file deleted: negative values). */
    synchronized void add(long moreBytes, long moreFiles) {
        bytes = Math.max(0, bytes + moreBytes);
        files = Math.max(0, files + moreFiles);
    }
}
