package dev.wharf.ftp.impl.fs;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/** Formats directory entries the way FTP clients parse them. Times are UTC, as MDTM and MLSx require. */
public final class ListingFormat {

    private static final DateTimeFormatter RECENT =
            DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter OLD =
            DateTimeFormatter.ofPattern("MMM dd  yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MDTM =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Duration SIX_MONTHS = Duration.ofDays(182);

    private ListingFormat() {
    }

    /**
     * One {@code ls -l} line: {@code drwxr-xr-x 1 owner group size Mon dd HH:mm name}, with the year instead of
     * the time for entries older than six months or in the future (as ls does). A link that leaves the user's
     * root is shown as the link ({@code l}), never with what it points to.
     */
    public static String longLine(BasicFileAttributes basic, String name, Instant now) {
        PosixFileAttributes posix = basic instanceof PosixFileAttributes p ? p : null;
        StringBuilder line = new StringBuilder(80 + name.length());
        line.append(basic.isDirectory() ? 'd' : basic.isSymbolicLink() ? 'l' : '-');
        String fallback = basic.isDirectory() ? "rwxr-xr-x" : "rw-r--r--";
        line.append(posix != null ? permissions(posix.permissions()) : fallback);
        line.append(" 1 ");
        line.append(posix != null ? posix.owner().getName() : "ftp").append(' ');
        line.append(posix != null ? posix.group().getName() : "ftp").append(' ');
        String size = Long.toString(basic.isDirectory() ? 4096 : basic.size());
        for (int i = size.length(); i < 12; i++) {
            line.append(' ');
        }
        line.append(size).append(' ');
        Instant modified = basic.lastModifiedTime().toInstant();
        boolean recent = modified.isBefore(now.plus(Duration.ofHours(1))) && modified.isAfter(now.minus(SIX_MONTHS));
        line.append((recent ? RECENT : OLD).format(modified)).append(' ');
        line.append(name);
        return line.toString();
    }

    /** The RFC 3659 time-val: {@code YYYYMMDDHHMMSS} in UTC. */
    public static String timeVal(Instant instant) {
        return MDTM.format(instant);
    }

    /**
     * Reads a time-val (without fractions) as UTC.
     *
     * @throws java.time.format.DateTimeParseException when it is not {@code YYYYMMDDHHMMSS}
     */
    public static Instant parseTimeVal(String text) {
        return java.time.LocalDateTime.parse(text, MDTM).toInstant(ZoneOffset.UTC);
    }

    private static String permissions(Set<PosixFilePermission> p) {
        char[] c = new char[9];
        c[0] = p.contains(PosixFilePermission.OWNER_READ) ? 'r' : '-';
        c[1] = p.contains(PosixFilePermission.OWNER_WRITE) ? 'w' : '-';
        c[2] = p.contains(PosixFilePermission.OWNER_EXECUTE) ? 'x' : '-';
        c[3] = p.contains(PosixFilePermission.GROUP_READ) ? 'r' : '-';
        c[4] = p.contains(PosixFilePermission.GROUP_WRITE) ? 'w' : '-';
        c[5] = p.contains(PosixFilePermission.GROUP_EXECUTE) ? 'x' : '-';
        c[6] = p.contains(PosixFilePermission.OTHERS_READ) ? 'r' : '-';
        c[7] = p.contains(PosixFilePermission.OTHERS_WRITE) ? 'w' : '-';
        c[8] = p.contains(PosixFilePermission.OTHERS_EXECUTE) ? 'x' : '-';
        return new String(c);
    }
}
