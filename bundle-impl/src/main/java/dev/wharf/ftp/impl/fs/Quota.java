package dev.wharf.ftp.impl.fs;

/**
 * A user's limits on a home directory ({@code quota.bytes}, {@code quota.files}; 0 = unlimited) over the home's
 * shared {@link HomeUsage}. Exceeding one is a {@link StorageFailure} of kind QUOTA, which the client sees as 552.
 */
public final class Quota {

    private final HomeUsage usage;
    private final long maxBytes;
    private final long maxFiles;

    public Quota(HomeUsage usage, long maxBytes, long maxFiles) {
        this.usage = usage;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public long maxFiles() {
        return maxFiles;
    }

    public long usedBytes() {
        return usage.bytes();
    }

    public long usedFiles() {
        return usage.files();
    }

    /** Bytes that may still be stored; {@link Long#MAX_VALUE} without a byte limit. */
    public long availableBytes() {
        return maxBytes == 0 ? Long.MAX_VALUE : Math.max(0, maxBytes - usage.bytes());
    }

    /** Before a write is opened: see {@link HomeUsage#admit}. */
    void admit(long credit, boolean newFile, String virtualPath) throws StorageFailure {
        if (!usage.admit(credit, newFile, maxBytes, maxFiles)) {
            throw exceeded(virtualPath);
        }
    }

    void grow(long more, String virtualPath) throws StorageFailure {
        if (!usage.tryGrow(more, maxBytes)) {
            throw exceeded(virtualPath);
        }
    }

    void add(long bytes, long files) {
        usage.add(bytes, files);
    }

    private StorageFailure exceeded(String virtualPath) {
        return new StorageFailure(StorageFailure.Kind.QUOTA, virtualPath + ": quota of " + maxBytes + " bytes, "
                + maxFiles + " files exceeded", null);
    }
}
