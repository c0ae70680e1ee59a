package dev.wharf.ftp.impl.protocol;

import static dev.wharf.ftp.impl.protocol.CommandSpec.command;

import dev.wharf.ftp.impl.fs.ListingFormat;
import dev.wharf.ftp.impl.fs.NotAFileException;
import dev.wharf.ftp.impl.fs.StorageFailure;
import dev.wharf.ftp.impl.fs.VirtualFileSystem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The file service commands that need no data connection: PWD, CWD, CDUP, MKD, RMD, DELE, SIZE, MDTM, RNFR, RNTO.
 * Every file operation goes through the session's {@link VirtualFileSystem}, by virtual path.
 */
final class FileCommands {

    private static final Logger LOG = Logger.getLogger(FileCommands.class.getName());
    private static final long ASCII_SIZE_LIMIT = 64L * 1024 * 1024;

    private FileCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(
                command("PWD", "XPWD").loggedIn().handledBy(FileCommands::pwd),
                // TVFS (RFC 3659 6): paths are Unix-like from one root, which CWD and every path argument rely on
                command("CWD", "XCWD").syntax("CWD <directory>").loggedIn().feature("TVFS")
                        .handledBy(FileCommands::cwd),
                command("CDUP", "XCUP").syntax("CDUP (go to the parent directory)").loggedIn()
                        .handledBy((s, a) -> cwd(s, "..")),
                command("MKD", "XMKD").syntax("MKD <directory>").loggedIn().withArgument()
                        .handledBy(FileCommands::mkd),
                command("RMD", "XRMD").syntax("RMD <directory>").loggedIn().withArgument()
                        .handledBy(FileCommands::rmd),
                command("DELE").syntax("DELE <path>").loggedIn().withArgument().handledBy(FileCommands::dele),
                command("SIZE").syntax("SIZE <path>").loggedIn().withArgument().feature("SIZE")
                        .handledBy(FileCommands::size),
                command("MDTM").syntax("MDTM <path> (modification time, UTC)").loggedIn().withArgument()
                        .feature("MDTM").handledBy(FileCommands::mdtm),
                command("RNFR").syntax("RNFR <path> (then RNTO)").loggedIn().withArgument()
                        .flag(CommandSpec.Flag.KEEPS_RENAME_SOURCE).handledBy(FileCommands::rnfr),
                command("RNTO").syntax("RNTO <path>").loggedIn().withArgument().handledBy(FileCommands::rnto));
    }

    /** A path in a reply: RFC 959 doubles quotes inside the quoted name. */
    static String quoted(String virtualPath) {
        return "\"" + virtualPath.replace("\"", "\"\"") + "\"";
    }

    /** The client's path as a normalised virtual path (relative ones against the current directory). */
    static String path(FtpSession s, String argument) {
        return VirtualFileSystem.normalize(s.cwd(), argument);
    }

    static boolean checkWritable(FtpSession s) throws IOException {
        if (!s.user().writable()) {
            s.reply(550, "Permission denied: this account is read-only.");
            return false;
        }
        return true;
    }

    /**
     * STOR, APPE and STOU: a read-only account may still add files to a drop box. Checked here on the path as
     * typed, for a clear reply; the file system checks again where the file really lands.
     */
    static boolean checkMayStore(FtpSession s, String virtualPath) throws IOException {
        String directory = virtualPath.substring(0, Math.max(1, virtualPath.lastIndexOf('/')));
        if (s.user().writable() || s.files().rules().isDropBox(directory)) {
            return true;
        }
        return checkWritable(s);
    }

    /**
     * Replies to a failed file operation with the code its cause calls for, and logs unexpected ones. A path
     * outside the root, through a link, reads as a missing file: the client learns nothing about the outside.
     */
    static void replyFailure(FtpSession s, String what, Exception e) throws IOException {
        if (e instanceof NoSuchFileException || e instanceof VirtualFileSystem.PathOutsideRootException
                || e instanceof NotDirectoryException) {
            s.reply(550, what + ": no such file or directory.");
        } else if (e instanceof NotAFileException n) {
            s.reply(550, what + ": " + (n.isDirectory() ? "is a directory." : "not a plain file."));
        } else if (e instanceof FileAlreadyExistsException) {
            s.reply(550, what + ": already exists.");
        } else if (e instanceof DirectoryNotEmptyException) {
            s.reply(550, what + ": directory not empty.");
        } else if (e instanceof AccessDeniedException) {
            s.reply(550, what + ": permission denied.");
        } else if (e instanceof FileSystemLoopException) {
            s.reply(550, what + ": too many levels of links.");
        } else if (e instanceof InvalidPathException || nameTooLong(e)) {
            s.reply(553, what + ": file name not allowed.");
        } else if (e instanceof StorageFailure f && f.kind() != StorageFailure.Kind.OTHER) {
            s.reply(f.kind() == StorageFailure.Kind.NO_SPACE ? 452 : 552, what + ": " + (f.kind()
                    == StorageFailure.Kind.NO_SPACE ? "insufficient storage space." : "storage quota exceeded."));
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            // The file system refused (a name swapped for a link while it was opened, say): said to the client,
            // and a FINE line, since clients cause these at will.
            LOG.fine(() -> what + " for " + s.clientAddress() + ": " + f.getMessage());
            s.reply(550, what + ": " + f.getReason() + ".");
        } else {
            LOG.log(Level.WARNING, what + " failed for " + s.clientAddress(), e);
            s.reply(550, what + " failed.");
        }
    }

    private static boolean nameTooLong(Exception e) {
        return e instanceof FileSystemException f && f.getReason() != null
                && f.getReason().toLowerCase(java.util.Locale.ROOT).contains("name too long");
    }

    static void pwd(FtpSession s, String argument) throws IOException {
        s.reply(257, quoted(s.cwd()) + " is the current directory.");
    }

    static void cwd(FtpSession s, String argument) throws IOException {
        String target = path(s, argument.isEmpty() ? "/" : argument);
        BasicFileAttributes a;
        try {
            a = s.files().attributes(target);
        } catch (IOException | InvalidPathException e) {
            replyFailure(s, "CWD", e);
            return;
        }
        if (!a.isDirectory()) {
            s.reply(550, "Not a directory: " + target);
            return;
        }
        s.changeDirectory(target);
        s.reply(250, "Directory changed to " + target);
    }

    static void mkd(FtpSession s, String argument) throws IOException {
        if (!checkWritable(s)) {
            return;
        }
        String target = path(s, argument);
        try {
            s.files().createDirectory(target);
            s.reply(257, quoted(target) + " created.");
        } catch (IOException | InvalidPathException e) {
            replyFailure(s, "MKD", e);
        }
    }

    static void rmd(FtpSession s, String argument) throws IOException {
        if (!checkWritable(s)) {
            return;
        }
        try {
            s.files().deleteDirectory(path(s, argument));
            s.reply(250, "Directory removed.");
        } catch (IOException | InvalidPathException e) {
            replyFailure(s, "RMD", e);
        }
    }

    static void dele(FtpSession s, String argument) throws IOException {
        if (!checkWritable(s)) {
            return;
        }
        try {
            s.files().deleteFile(path(s, argument));
            s.reply(250, "File deleted.");
        } catch (NotAFileException e) {
            s.reply(550, e.isDirectory() ? "Is a directory: use RMD." : "DELE: not a plain file.");
        } catch (IOException | InvalidPathException e) {
            replyFailure(s, "DELE", e);
        }
    }

    static void size(FtpSession s, String argument) throws IOException {
        try (FileChannel file = s.files().openForReading(path(s, argument))) {
            if (!s.parameters().ascii()) {
                s.reply(213, Long.toString(file.size()));
                return;
            }
            // RFC 3659 4.1: the size is what a transfer in the current TYPE would send. Counting it means reading
            // the file, so that is done for files of a sensible size only.
            if (file.size() > ASCII_SIZE_LIMIT) {
                s.reply(550, "SIZE in ASCII mode is only computed for files up to 64 MiB; send TYPE I first.");
                return;
            }
            s.reply(213, Long.toString(dev.wharf.ftp.impl.data.TransferPump.asciiSize(file)));
        } catch (NotAFileException e) {
            s.reply(550, "Not a plain file.");
        } catch (IOException | InvalidPathException e) {
            replyFailure(s, "SIZE", e);
        }
    }

    static void mdtm(FtpSession s, String argument) throws IOException {
        try {
            BasicFileAttributes a = s.files().attributes(path(s, argument));
            s.reply(213, ListingFormat.timeVal(a.lastModifiedTime().toInstant()));
        } catch (IOException | InvalidPathException e) {
            replyFailure(s, "MDTM", e);
        }
    }

    static void rnfr(FtpSession s, String argument) throws IOException {
        if (!checkWritable(s)) {
            return;
        }
        String from = path(s, argument);
        if (from.equals("/")) {
            s.reply(550, "The root directory cannot be renamed.");
            return;
        }
        if (!s.files().hasEntry(from)) {
            s.reply(550, "No such file or directory.");
            return;
        }
        s.parameters().renameFrom(from);
        s.reply(350, "Ready for RNTO.");
    }

    static void rnto(FtpSession s, String argument) throws IOException {
        String from = s.parameters().renameSource();
        if (from == null) {
            s.reply(503, "Send RNFR first.");
            return;
        }
        if (!checkWritable(s)) {
            return;
        }
        try {
            s.files().rename(from, path(s, argument));
            s.reply(250, "Renamed.");
        } catch (IOException | InvalidPathException e) {
            replyFailure(s, "RNTO", e);
        }
    }
}
