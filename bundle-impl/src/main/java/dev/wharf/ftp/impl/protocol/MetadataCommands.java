package dev.wharf.ftp.impl.protocol;

import static dev.wharf.ftp.impl.protocol.CommandSpec.command;

import dev.wharf.ftp.impl.fs.FileModes;
import dev.wharf.ftp.impl.fs.ListingFormat;
import dev.wharf.ftp.impl.fs.MlsxFacts;
import dev.wharf.ftp.impl.fs.Quota;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/** Facts about files and the store: MLST (RFC 3659), MFMT, AVBL, SITE, SMNT. */
final class MetadataCommands {


    private MetadataCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(
                command("MLST").syntax("MLST [<path>]").loggedIn()
                        .features(s -> List.of(MlsxFacts.featLine(s.parameters().facts())))
                        .handledBy(MetadataCommands::mlst),
                command("MFMT").syntax("MFMT <YYYYMMDDHHMMSS> <path> (set modification time, UTC)").loggedIn()
                        .withArgument().feature("MFMT").handledBy(MetadataCommands::mfmt),
                command("AVBL").syntax("AVBL [<directory>] (bytes available for storing)").loggedIn()
                        .handledBy(MetadataCommands::avbl),
                command("SITE").syntax("SITE HELP, SITE CHMOD <octal mode> <path>, SITE QUOTA").loggedIn()
                        .withArgument()
                        .handledBy(MetadataCommands::site),
                command("SMNT").syntax("SMNT (not implemented)").loggedIn().handledBy((s, a) -> s.reply(502,
                        "SMNT is not implemented: each user has exactly one file system.")));
    }

    static void mlst(FtpSession s, String argument) throws IOException {
        String shown = FileCommands.path(s, argument);
        BasicFileAttributes a;
        try {
            a = s.files().attributes(shown);
        } catch (IOException | InvalidPathException e) {
            FileCommands.replyFailure(s, "MLST", e);
            return;
        }
        String entry = MlsxFacts.entry(a, shown, s.parameters().facts(), s.user().writable());
        s.replyLines(250, "Listing " + shown, List.of(entry), "End");
    }

    /** {@code OPTS MLST type;size;}: which facts MLST and MLSD return. */
    static void optsMlst(FtpSession s, String selection) throws IOException {
        EnumSet<MlsxFacts.Fact> facts = MlsxFacts.parseSelection(selection);
        s.parameters().selectFacts(facts);
        StringBuilder b = new StringBuilder("MLST OPTS ");
        for (MlsxFacts.Fact f : facts) {
            b.append(f.label().toLowerCase(Locale.ROOT)).append(';');
        }
        s.reply(200, b.toString());
    }

    /** MFMT YYYYMMDDHHMMSS path: sets the modification time (UTC). */
    static void mfmt(FtpSession s, String argument) throws IOException {
        String[] parts = argument.split(" ", 2);
        if (parts.length < 2 || parts[1].isEmpty()) {
            s.reply(501, "MFMT needs a time (YYYYMMDDHHMMSS) and a path.");
            return;
        }
        FileTime time;
        try {
            String t = parts[0].contains(".") ? parts[0].substring(0, parts[0].indexOf('.')) : parts[0];
            time = FileTime.from(ListingFormat.parseTimeVal(t));
        } catch (DateTimeParseException e) {
            s.reply(501, "MFMT time must be YYYYMMDDHHMMSS (UTC).");
            return;
        }
        if (!FileCommands.checkWritable(s)) {
            return;
        }
        String path = FileCommands.path(s, parts[1]);
        try {
            s.files().setModifiedTime(path, time);
        } catch (IOException | InvalidPathException e) {
            FileCommands.replyFailure(s, "MFMT", e);
            return;
        }
        s.reply(213, "Modify=" + ListingFormat.timeVal(time.toInstant()) + "; " + path);
    }

    /** AVBL [path]: bytes the user may still store there. */
    static void avbl(FtpSession s, String argument) throws IOException {
        if (!s.files().isDirectory(FileCommands.path(s, argument))) {
            s.reply(550, "Not a directory.");
            return;
        }
        if (!s.user().writable()) {
            s.reply(550, "Read-only account: nothing can be stored.");
            return;
        }
        s.reply(213, Long.toString(s.files().usableSpace()));
    }

    static void site(FtpSession s, String argument) throws IOException {
        String[] parts = argument.trim().split("\\s+", 2);
        String sub = parts[0].toUpperCase(Locale.ROOT);
        switch (sub) {
            case "HELP" -> s.replyLines(214, "SITE commands recognized:",
                    List.of("CHMOD <octal mode> <path>", "QUOTA", "HELP"), "End of SITE help.");
            case "CHMOD" -> chmod(s, parts.length > 1 ? parts[1] : "");
            case "QUOTA" -> quota(s);
            default -> s.reply(504, "SITE " + sub + " is not recognized; try SITE HELP.");
        }
    }

    /**
     * SITE QUOTA: the user's limits and what the home holds, one {@code name: used of limit} line each (ProFTPD and
     * pure-ftpd answer the same question with their own layout; there is no standard).
     */
    private static void quota(FtpSession s) throws IOException {
        Quota q = s.files().quota();
        if (q == null) {
            s.reply(200, "No quota for user " + s.user().name() + ".");
            return;
        }
        s.replyLines(200, "Quota for user " + s.user().name() + ":", List.of(
                "bytes: " + q.usedBytes() + " of " + limit(q.maxBytes()),
                "files: " + q.usedFiles() + " of " + limit(q.maxFiles())), "End of quota.");
    }

    private static String limit(long max) {
        return max == 0 ? "unlimited" : Long.toString(max);
    }

    private static void chmod(FtpSession s, String argument) throws IOException {
        String[] parts = argument.split(" ", 2);
        if (parts.length < 2 || !parts[0].matches("0?[0-7]{3}")) {
            s.reply(501, "SITE CHMOD needs an octal mode such as 644 and a path.");
            return;
        }
        if (!FileCommands.checkWritable(s)) {
            return;
        }
        try {
            s.files().setPermissions(FileCommands.path(s, parts[1]),
                    FileModes.permissions(Integer.parseInt(parts[0], 8)));
            s.reply(200, "SITE CHMOD command successful.");
        } catch (UnsupportedOperationException e) {
            s.reply(504, "This file system has no POSIX permissions.");
        } catch (IOException | InvalidPathException e) {
            FileCommands.replyFailure(s, "SITE CHMOD", e);
        }
    }
}
