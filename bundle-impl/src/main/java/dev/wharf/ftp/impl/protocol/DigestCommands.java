package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.impl.fs.FileDigest;
import dev.wharf.ftp.impl.fs.NotAFileException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.InvalidPathException;

/**
 * File checksums computed by the server: HASH with OPTS HASH and RANG (draft-bryan-ftpext-hash and
 * draft-bryan-ftp-range), and the older XCRC, XMD5, XSHA1, XSHA256 with optional start and end offsets.
 */
final class DigestCommands {

    private DigestCommands() {
    }

    static void register() {
        CommandTable.loggedInWithArgument("HASH", DigestCommands::hash);
        CommandTable.loggedInWithArgument("RANG", DigestCommands::rang);
        CommandTable.loggedInWithArgument("XCRC", (s, a) -> legacy(s, a, FileDigest.CRC32));
        CommandTable.loggedInWithArgument("XMD5", (s, a) -> legacy(s, a, FileDigest.MD5));
        CommandTable.loggedInWithArgument("XSHA1", (s, a) -> legacy(s, a, FileDigest.SHA_1));
        CommandTable.loggedInWithArgument("XSHA256", (s, a) -> legacy(s, a, FileDigest.SHA_256));
    }

    /** The FEAT line, with {@code *} on the selected algorithm. */
    static String featLine(FileDigest selected) {
        StringBuilder b = new StringBuilder("HASH ");
        for (FileDigest d : FileDigest.values()) {
            b.append(d.label()).append(d == selected ? "*" : "").append(';');
        }
        return b.substring(0, b.length() - 1);
    }

    static void optsHash(FtpSession s, String value) throws IOException {
        if (value.isBlank()) {
            s.reply(200, s.hashAlgorithm.label());
            return;
        }
        FileDigest d = FileDigest.byLabel(value);
        if (d == null) {
            s.reply(501, "Unknown algorithm; choose one of SHA-256, SHA-1, MD5, CRC32.");
            return;
        }
        s.hashAlgorithm = d;
        s.reply(200, d.label());
    }

    static void rang(FtpSession s, String argument) throws IOException {
        String[] parts = argument.trim().split("\\s+");
        try {
            long start = Long.parseLong(parts[0]);
            long end = Long.parseLong(parts[1]);
            if (parts.length != 2 || start < 0 || end < 0) {
                throw new NumberFormatException();
            }
            if (start == 1 && end == 0) {
                s.rangeStart = s.rangeEnd = -1; // RANG 1 0 resets
                s.reply(350, "Restarting at 0. End of range reset.");
                return;
            }
            if (end < start) {
                s.reply(501, "RANG end must not be before its start.");
                return;
            }
            s.rangeStart = start;
            s.rangeEnd = end;
            s.reply(350, "Restarting at " + start + ". Ending at " + end + ".");
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            s.reply(501, "RANG needs a start and an end byte position.");
        }
    }

    static void hash(FtpSession s, String argument) throws IOException {
        long rangeStart = s.rangeStart;
        long rangeEnd = s.rangeEnd;
        s.rangeStart = s.rangeEnd = -1; // a range applies to one HASH
        try (FileChannel file = regularFile(s, argument)) {
            if (file == null) {
                return;
            }
            long size = file.size();
            long start = rangeStart >= 0 ? rangeStart : 0;
            long endInclusive = rangeStart >= 0 ? Math.min(rangeEnd, size - 1) : size - 1;
            if (start > Math.max(0, size - 1) && size > 0) {
                s.reply(556, "The range lies beyond the end of the file.");
                return;
            }
            String digest = s.hashAlgorithm.compute(file, start, endInclusive + 1);
            s.reply(213, s.hashAlgorithm.label() + " " + start + "-" + Math.max(endInclusive, 0) + " " + digest + " "
                    + argument);
        }
    }

    /** {@code XSHA256 "path" [start end]}: the end is exclusive, as these commands have it. */
    private static void legacy(FtpSession s, String argument, FileDigest digest) throws IOException {
        String path = argument;
        long start = 0;
        long end = -1;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(.*\\S)\\s+(\\d+)\\s+(\\d+)$").matcher(argument);
        if (m.matches() && !s.fs.exists(FileCommands.path(s, argument))) { // a name ending in numbers wins if it exists
            path = m.group(1);
            start = Long.parseLong(m.group(2));
            end = Long.parseLong(m.group(3));
        }
        if (path.length() > 1 && path.startsWith("\"") && path.endsWith("\"")) {
            path = path.substring(1, path.length() - 1);
        }
        try (FileChannel file = regularFile(s, path)) {
            if (file == null) {
                return;
            }
            long size = file.size();
            if (end < 0 || end > size) {
                end = size;
            }
            if (start > end) {
                s.reply(501, "The start lies beyond the end.");
                return;
            }
            s.reply(250, digest.compute(file, start, end));
        }
    }

    /** Opens the plain file the argument names, or replies why not and returns null. */
    private static FileChannel regularFile(FtpSession s, String argument) throws IOException {
        try {
            return s.fs.openForReading(FileCommands.path(s, argument));
        } catch (NotAFileException e) {
            s.reply(550, "Not a plain file.");
        } catch (IOException | InvalidPathException e) {
            FileCommands.replyFailure(s, "HASH", e);
        }
        return null;
    }
}
