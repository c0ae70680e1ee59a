package dev.wharf.ftp.impl.protocol;

import static dev.wharf.ftp.impl.protocol.CommandSpec.command;

import dev.wharf.ftp.impl.fs.FileDigest;
import dev.wharf.ftp.impl.fs.NotAFileException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.InvalidPathException;
import java.util.List;

/**
 * File checksums computed by the server: HASH with OPTS HASH and RANG (draft-bryan-ftpext-hash and
 * draft-bryan-ftp-range), and the older XCRC, XMD5, XSHA1, XSHA256 with optional start and end offsets.
 */
final class DigestCommands {

    private DigestCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(
                command("HASH").syntax("HASH <path> (checksum with the OPTS HASH algorithm)").loggedIn().withArgument()
                        .features(s -> List.of(featLine(s.parameters().hashAlgorithm())))
                        .handledBy(DigestCommands::hash),
                command("RANG").syntax("RANG <start> <end> (byte range for the next HASH; RANG 1 0 resets)")
                        .loggedIn().withArgument().handledBy(DigestCommands::rang),
                command("XCRC").syntax("XCRC <path> [<start> <end>]").loggedIn().withArgument()
                        .handledBy((s, a) -> legacy(s, a, FileDigest.CRC32)),
                command("XMD5").syntax("XMD5 <path> [<start> <end>]").loggedIn().withArgument()
                        .handledBy((s, a) -> legacy(s, a, FileDigest.MD5)),
                command("XSHA1").syntax("XSHA1 <path> [<start> <end>]").loggedIn().withArgument()
                        .handledBy((s, a) -> legacy(s, a, FileDigest.SHA_1)),
                command("XSHA256").syntax("XSHA256 <path> [<start> <end>]").loggedIn().withArgument()
                        .handledBy((s, a) -> legacy(s, a, FileDigest.SHA_256)));
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
            s.reply(200, s.parameters().hashAlgorithm().label());
            return;
        }
        FileDigest d = FileDigest.byLabel(value);
        if (d == null) {
            s.reply(501, "Unknown algorithm; choose one of SHA-256, SHA-1, MD5, CRC32.");
            return;
        }
        s.parameters().selectHash(d);
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
                s.parameters().range(-1, -1); // RANG 1 0 resets
                s.reply(350, "Restarting at 0. End of range reset.");
                return;
            }
            if (end < start) {
                s.reply(501, "RANG end must not be before its start.");
                return;
            }
            s.parameters().range(start, end);
            s.reply(350, "Restarting at " + start + ". Ending at " + end + ".");
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            s.reply(501, "RANG needs a start and an end byte position.");
        }
    }

    static void hash(FtpSession s, String argument) throws IOException {
        long[] range = s.parameters().takeRange(); // a range applies to one HASH
        try (FileChannel file = regularFile(s, argument)) {
            if (file == null) {
                return;
            }
            long size = file.size();
            long start = range != null ? range[0] : 0;
            long endInclusive = range != null ? Math.min(range[1], size - 1) : size - 1;
            if (start > Math.max(0, size - 1) && size > 0) {
                s.reply(556, "The range lies beyond the end of the file.");
                return;
            }
            String digest = s.parameters().hashAlgorithm().compute(file, start, endInclusive + 1);
            s.reply(213, s.parameters().hashAlgorithm().label() + " " + start + "-" + Math.max(endInclusive, 0) + " "
                    + digest + " "
                    + argument);
        }
    }

    /** {@code XSHA256 "path" [start end]}: the end is exclusive, as these commands have it. */
    private static void legacy(FtpSession s, String argument, FileDigest digest) throws IOException {
        String path = argument;
        long start = 0;
        long end = -1;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(.*\\S)\\s+(\\d+)\\s+(\\d+)$").matcher(argument);
        // a name that ends in numbers wins when such a file exists
        if (m.matches() && !s.files().exists(FileCommands.path(s, argument))) {
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
            return s.files().openForReading(FileCommands.path(s, argument));
        } catch (NotAFileException e) {
            s.reply(550, "Not a plain file.");
        } catch (IOException | InvalidPathException e) {
            FileCommands.replyFailure(s, "HASH", e);
        }
        return null;
    }
}
