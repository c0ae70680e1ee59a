package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.impl.fs.ListingFormat;
import dev.wharf.ftp.impl.fs.VirtualFileSystem;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The file service commands that need no data connection: PWD, CWD, CDUP, MKD, RMD, DELE, SIZE, MDTM, RNFR, RNTO. */
final class FileCommands {

    private static final Logger LOG = Logger.getLogger(FileCommands.class.getName());
    private static final long ASCII_SIZE_LIMIT = 64L * 1024 * 1024;

    private FileCommands() {
    }

    static void register() {
        for (String verb : new String[] {"PWD", "XPWD"}) {
            CommandTable.loggedIn(verb, FileCommands::pwd);
        }
        for (String verb : new String[] {"CWD", "XCWD"}) {
            CommandTable.loggedIn(verb, FileCommands::cwd);
        }
        for (String verb : new String[] {"CDUP", "XCUP"}) {
            CommandTable.loggedIn(verb, (s, a) -> cwd(s, ".."));
        }
        for (String verb : new String[] {"MKD", "XMKD"}) {
            CommandTable.loggedInWithArgument(verb, FileCommands::mkd);
        }
        for (String verb : new String[] {"RMD", "XRMD"}) {
            CommandTable.loggedInWithArgument(verb, FileCommands::rmd);
        }
        CommandTable.loggedInWithArgument("DELE", FileCommands::dele);
        CommandTable.loggedInWithArgument("SIZE", FileCommands::size);
        CommandTable.loggedInWithArgument("MDTM", FileCommands::mdtm);
        CommandTable.loggedInWithArgument("RNFR", FileCommands::rnfr);
        CommandTable.loggedInWithArgument("RNTO", FileCommands::rnto);
    }

    /** A path in a reply: RFC 959 doubles quotes inside the quoted name. */
    static String quoted(String virtualPath) {
        return "\"" + virtualPath.replace("\"", "\"\"") + "\"";
    }

    /**
     * Resolves a client path; on failure replies (550 outside the root or missing parent, 553 for a name the file
     * system cannot hold) and returns null.
     */
    static Path resolve(FtpSession s, String argument) throws IOException {
        try {
            return s.fs.toReal(VirtualFileSystem.normalize(s.cwd, argument));
        } catch (VirtualFileSystem.PathOutsideRootException e) {
            s.reply(550, "No such file or directory.");
        } catch (InvalidPathException e) {
            s.reply(553, "File name not allowed.");
        }
        return null;
    }

    /** As {@link #resolve}, and replies 550 (returning null) when nothing exists there. */
    static Path resolveExisting(FtpSession s, String argument) throws IOException {
        Path real = resolve(s, argument);
        if (real != null && !Files.exists(real)) {
            s.reply(550, "No such file or directory.");
            return null;
        }
        return real;
    }

    /** Resolves a client path without replying; null when it is not a usable path. */
    static Path resolveQuietly(FtpSession s, String argument) {
        try {
            return s.fs.toReal(VirtualFileSystem.normalize(s.cwd, argument));
        } catch (IOException | InvalidPathException e) {
            return null;
        }
    }

    static boolean checkWritable(FtpSession s) throws IOException {
        if (!s.user.writable()) {
            s.reply(550, "Permission denied: this account is read-only.");
            return false;
        }
        return true;
    }

    /** Replies to a failed file operation with the code its cause calls for, and logs unexpected ones. */
    static void replyFailure(FtpSession s, String what, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
            s.reply(550, what + ": no such file or directory.");
        } else if (e instanceof FileAlreadyExistsException) {
            s.reply(550, what + ": already exists.");
        } else if (e instanceof DirectoryNotEmptyException) {
            s.reply(550, what + ": directory not empty.");
        } else if (e instanceof AccessDeniedException) {
            s.reply(550, what + ": permission denied.");
        } else {
            LOG.log(Level.WARNING, what + " failed for " + s.clientAddress(), e);
            s.reply(550, what + " failed.");
        }
    }

    static void pwd(FtpSession s, String argument) throws IOException {
        s.reply(257, quoted(s.cwd) + " is the current directory.");
    }

    static void cwd(FtpSession s, String argument) throws IOException {
        String target = VirtualFileSystem.normalize(s.cwd, argument.isEmpty() ? "/" : argument);
        Path real = resolve(s, target);
        if (real == null) {
            return;
        }
        if (!Files.isDirectory(real)) {
            s.reply(550, "Not a directory: " + target);
            return;
        }
        s.cwd = target;
        s.reply(250, "Directory changed to " + target);
    }

    static void mkd(FtpSession s, String argument) throws IOException {
        Path real = resolve(s, argument);
        if (real == null || !checkWritable(s)) {
            return;
        }
        try {
            Files.createDirectory(real);
            s.reply(257, quoted(s.fs.toVirtual(real)) + " created.");
        } catch (IOException e) {
            replyFailure(s, "MKD", e);
        }
    }

    static void rmd(FtpSession s, String argument) throws IOException {
        Path real = resolve(s, argument);
        if (real == null || !checkWritable(s)) {
            return;
        }
        if (real.equals(s.fs.root())) {
            s.reply(550, "The root directory cannot be removed.");
            return;
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            s.reply(550, "Not a directory.");
            return;
        }
        try {
            Files.delete(real);
            s.reply(250, "Directory removed.");
        } catch (IOException e) {
            replyFailure(s, "RMD", e);
        }
    }

    static void dele(FtpSession s, String argument) throws IOException {
        Path real = resolve(s, argument);
        if (real == null || !checkWritable(s)) {
            return;
        }
        if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            s.reply(550, "Is a directory: use RMD.");
            return;
        }
        try {
            Files.delete(real);
            s.reply(250, "File deleted.");
        } catch (IOException e) {
            replyFailure(s, "DELE", e);
        }
    }

    static void size(FtpSession s, String argument) throws IOException {
        Path real = resolve(s, argument);
        if (real == null) {
            return;
        }
        if (!Files.isRegularFile(real)) {
            s.reply(550, "Not a plain file.");
            return;
        }
        if (s.ascii) {
            // RFC 3659 4.1: the size is what a transfer in the current TYPE would send. Counting it means reading
            // the file, so that is done for files of a sensible size only.
            if (Files.size(real) > ASCII_SIZE_LIMIT) {
                s.reply(550, "SIZE in ASCII mode is only computed for files up to 64 MiB; send TYPE I first.");
                return;
            }
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(real)) {
                s.reply(213, Long.toString(dev.wharf.ftp.impl.data.TransferPump.asciiSize(ch)));
            }
            return;
        }
        s.reply(213, Long.toString(Files.size(real)));
    }

    static void mdtm(FtpSession s, String argument) throws IOException {
        Path real = resolveExisting(s, argument);
        if (real == null) {
            return;
        }
        s.reply(213, ListingFormat.timeVal(Files.getLastModifiedTime(real).toInstant()));
    }

    static void rnfr(FtpSession s, String argument) throws IOException {
        Path real = resolve(s, argument);
        if (real == null || !checkWritable(s)) {
            return;
        }
        if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
            s.reply(550, "No such file or directory.");
            return;
        }
        if (real.equals(s.fs.root())) {
            s.reply(550, "The root directory cannot be renamed.");
            return;
        }
        s.renameFrom = s.fs.toVirtual(real);
        s.reply(350, "Ready for RNTO.");
    }

    static void rnto(FtpSession s, String argument) throws IOException {
        String from = s.renameFrom;
        if (from == null) {
            s.reply(503, "Send RNFR first.");
            return;
        }
        Path source = resolve(s, from);
        Path target = source == null ? null : resolve(s, argument);
        if (target == null || !checkWritable(s)) {
            return;
        }
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            s.reply(250, "Renamed.");
        } catch (IOException e) {
            replyFailure(s, "RNTO", e);
        }
    }
}
