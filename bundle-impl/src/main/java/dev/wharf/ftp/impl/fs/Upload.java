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
 *
 * <p>With a quota, the upload reserves bytes as the file grows past {@code base} (the size of what it replaces or
 * extends) and settles the difference when it is committed or discarded, so the home's usage stays exact.
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
    private final Quota quota;
    /** The size of the file this upload replaces (REPLACE) or writes into (IN_PLACE): growth counts from it. */
    private final long base;
    /** Whether the upload adds a file to the home (counted against the file quota when it was admitted). */
    private final boolean newFile;
    /** The bytes reserved from the quota so far. */
    private long reserved;
    /** An upload into a file it created, cut back to nothing: removed on discard. */
    private boolean removeOnDiscard;
    private boolean finished;

    Upload(DirectoryHandle directory, String writtenName, String targetName, String virtualPath, Kind kind,
            FileChannel channel) {
        this(directory, writtenName, targetName, virtualPath, kind, channel, null, 0, false);
    }

    /**
     * @param quota the user's quota, already admitted for this upload; null for none
     * @param base the size of the file replaced or written into
     * @param newFile whether the upload adds a file (the quota counted it already)
     */
    Upload(DirectoryHandle directory, String writtenName, String targetName, String virtualPath, Kind kind,
            FileChannel channel, Quota quota, long base, boolean newFile) {
        this.directory = directory;
        this.writtenName = writtenName;
        this.targetName = targetName;
        this.virtualPath = virtualPath;
        this.kind = kind;
        this.channel = channel;
        this.quota = quota;
        this.base = base;
        this.newFile = newFile;
    }

    /** Whether writes must be checked against a quota ({@link #reserve}). */
    public boolean hasQuota() {
        return quota != null;
    }

    /**
     * Reserves quota for the file to grow to {@code endPosition}, before the bytes are written.
     *
     * @throws StorageFailure of kind QUOTA when that would exceed the user's quota
     */
    public void reserve(long endPosition) throws StorageFailure {
        long more = endPosition - base - reserved;
        if (quota != null && more > 0) {
            quota.grow(more, virtualPath);
            reserved += more;
        }
    }

    /**
     * Undoes an in-place write that may not stand (a quota exceeded, a hook's refusal): the file is cut back to
     * {@code length}, and one this upload created is removed when it is discarded. A new upload needs nothing: its
     * temporary file is discarded anyway.
     */
    public void cutBack(long length) throws IOException {
        if (kind == Kind.IN_PLACE) {
            channel.truncate(length);
            removeOnDiscard = newFile && length == 0;
        }
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
        long size = quota != null ? channel.size() : 0; // without a quota, no extra system call
        channel.close();
        if (kind == Kind.REPLACE) {
            directory.move(writtenName, directory, targetName);
        }
        finished = true; // only now: a failed rename leaves the temporary file to discard()
        settle(size);
        directory.close();
    }

    /** The file stays at {@code size}: the quota counts exactly its growth over {@code base}. */
    private void settle(long size) {
        if (quota != null) {
            quota.add(size - base - reserved, 0);
        }
    }

    /** The written file is gone: what it reserved is given back. */
    private void refund() {
        if (quota != null) {
            quota.add(-reserved, newFile ? -1 : 0);
        }
    }

    /** Closes the file and, unless it was written in place, removes it. Never throws. */
    public void discard() {
        if (finished) {
            return;
        }
        finished = true;
        long size = base + reserved;
        try {
            if (quota != null) {
                size = channel.size();
            }
            channel.close();
        } catch (IOException ignored) {
            // removing it anyway
        }
        try {
            if (kind != Kind.IN_PLACE || removeOnDiscard) {
                directory.deleteFile(writtenName);
                refund();
            } else {
                settle(size); // kept for a later resume
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
