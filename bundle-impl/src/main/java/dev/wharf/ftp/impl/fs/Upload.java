package dev.wharf.ftp.impl.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A file being written by a transfer, in the directory handle it was opened in. A new upload is written under a
 * short temporary name and renamed over its target by {@link #commit()}, so a failed one never leaves a partial
 * file under the final name nor damages the previous version; an upload that resumes or appends writes in place.
 */
public final class Upload implements Closeable {

    private static final Logger LOG = Logger.getLogger(Upload.class.getName());

    /** What happens to the written file when the transfer fails. */
    enum Kind {
        /** A temporary file, renamed over the target on commit, deleted on failure. */
        REPLACE,
        /** The target itself, written at an offset; what was written stays on failure (for a later resume). */
        IN_PLACE,
        /** A new file under a name made unique (STOU); deleted on failure. */
        NEW
    }

    private final DirectoryHandle directory;
    private final String writtenName;
    private final String targetName;
    private final String virtualPath;
    private final Kind kind;
    private final FileChannel channel;
    private boolean finished;

    Upload(DirectoryHandle directory, String writtenName, String targetName, String virtualPath, Kind kind,
            FileChannel channel) {
        this.directory = directory;
        this.writtenName = writtenName;
        this.targetName = targetName;
        this.virtualPath = virtualPath;
        this.kind = kind;
        this.channel = channel;
    }

    public FileChannel channel() {
        return channel;
    }

    /** The client's path of the file, e.g. the unique name STOU chose. */
    public String virtualPath() {
        return virtualPath;
    }

    /** The file as it is being written: a temporary name beside the target, or the target itself in place. */
    public java.nio.file.Path writtenFile() {
        return directory.path().resolve(writtenName);
    }

    /** Whether the upload writes into its target (APPE, a resumed STOR) rather than a new file. */
    public boolean inPlace() {
        return kind == Kind.IN_PLACE;
    }

    /** The last part of {@link #virtualPath()}. */
    public String name() {
        return targetName;
    }

    /** Closes the file and puts it in place (for a new upload: renames it over the target). */
    public void commit() throws IOException {
        channel.close();
        if (kind == Kind.REPLACE) {
            directory.move(writtenName, directory, targetName);
        }
        finished = true; // only now: a failed rename leaves the temporary file to discard()
        directory.close();
    }

    /** Closes the file and, unless it was written in place, removes it. Never throws. */
    public void discard() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // removing it anyway
        }
        try {
            if (kind != Kind.IN_PLACE) {
                directory.deleteFile(writtenName);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove the partial upload " + directory.path().resolve(writtenName), e);
        } finally {
            try {
                directory.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    /** Discards the upload unless it was committed. */
    @Override
    public void close() {
        discard();
    }
}
