package dev.wharf.ftp.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A running transfer of one session, as it stood when it was asked for: what moves, which way, and how far it got.
 * Immutable; ask the session again for newer figures.
 *
 * @since 1.2
 */
public final class FtpTransferInfo {

    /** Which way the bytes go, seen from the server. */
    public enum Direction {
        /** STOR, APPE, STOU: the client sends a file. */
        UPLOAD,
        /** RETR: the client fetches a file. */
        DOWNLOAD,
        /** LIST, NLST, MLSD: the server sends a directory listing. */
        LISTING
    }

    private final String path;
    private final Direction direction;
    private final Instant startedAt;
    private final long bytes;
    private final Instant measuredAt;

    /**
     * @param path the client's path of the file (for a listing, of the directory)
     * @param startedAt when the transfer began
     * @param bytes the bytes moved so far
     * @param measuredAt when {@code bytes} was read
     */
    public FtpTransferInfo(String path, Direction direction, Instant startedAt, long bytes, Instant measuredAt) {
        this.path = Objects.requireNonNull(path, "path");
        this.direction = Objects.requireNonNull(direction, "direction");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.bytes = bytes;
        this.measuredAt = Objects.requireNonNull(measuredAt, "measuredAt");
    }

    /** The client's path of the file (for a listing, of the directory). */
    public String path() {
        return path;
    }

    public Direction direction() {
        return direction;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The bytes moved so far (file bytes; for an ASCII upload, the bytes received). */
    public long bytes() {
        return bytes;
    }

    /** The average rate since the transfer began, in bytes per second; 0 in its first millisecond. */
    public long bytesPerSecond() {
        long millis = Duration.between(startedAt, measuredAt).toMillis();
        return millis <= 0 ? 0 : bytes * 1000 / millis;
    }

    @Override
    public String toString() {
        return direction.name().toLowerCase(java.util.Locale.ROOT) + " " + path + " " + bytes + " bytes, "
                + bytesPerSecond() + " B/s";
    }
}
