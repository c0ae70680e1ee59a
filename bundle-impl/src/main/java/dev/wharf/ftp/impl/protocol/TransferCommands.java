package dev.wharf.ftp.impl.protocol;

import static dev.wharf.ftp.impl.protocol.CommandSpec.command;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.hook.Decision;
import dev.wharf.ftp.api.hook.FileOperation;
import dev.wharf.ftp.impl.data.PendingData;
import dev.wharf.ftp.impl.data.Throttle;
import dev.wharf.ftp.impl.data.TransferPump;
import dev.wharf.ftp.impl.fs.ListingFormat;
import dev.wharf.ftp.impl.fs.MlsxFacts;
import dev.wharf.ftp.impl.fs.NotAFileException;
import dev.wharf.ftp.impl.fs.StorageFailure;
import dev.wharf.ftp.impl.fs.Upload;
import dev.wharf.ftp.impl.fs.VirtualFileSystem;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Instant;
import java.util.List;

/** Commands that move data: RETR, STOR, APPE, LIST, NLST, and ABOR to stop them. */
final class TransferCommands {

    private TransferCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(
                command("RETR").syntax("RETR <path>").loggedIn().withArgument().operation(FileOperation.Kind.DOWNLOAD)
                        .handledBy(TransferCommands::retr),
                command("STOR").syntax("STOR <path>").writes().withArgument().operation(FileOperation.Kind.UPLOAD)
                        .handledBy((s, a) -> store(s, a, false)),
                command("APPE").syntax("APPE <path> (append to a file)").writes().withArgument()
                        .operation(FileOperation.Kind.UPLOAD).handledBy((s, a) -> store(s, a, true)),
                command("STOU").syntax("STOU [<name>]").writes().operation(FileOperation.Kind.UPLOAD)
                        .handledBy(TransferCommands::stou),
                command("LIST").syntax("LIST [-options] [<path>]").loggedIn()
                        .handledBy((s, a) -> list(s, a, Listing.LONG)),
                command("NLST").syntax("NLST [<path>]").loggedIn().handledBy((s, a) -> list(s, a, Listing.NAMES)),
                command("MLSD").syntax("MLSD [<directory>]").loggedIn()
                        .handledBy((s, a) -> list(s, a, Listing.MACHINE)),
                command("ABOR").syntax("ABOR (abort the running transfer)").loggedIn().duringTransfer()
                        .handledBy(TransferCommands::abor));
    }

    /** Takes the data connection PASV/PORT prepared, or replies why there is none and returns null. */
    private static PendingData dataConnection(FtpSession s) throws IOException {
        if (!s.hasPendingData()) {
            s.reply(425, "Use PASV, EPSV, PORT or EPRT first.");
            return null;
        }
        if (!s.protection().protectsData() && s.tlsRequirement() == TlsRequirement.ALL) {
            s.reply(521, "Data connections must be protected on this listener: send PROT P.");
            return null;
        }
        return s.takePendingData();
    }

    private static String mode(FtpSession s) {
        return s.parameters().ascii() ? "ASCII" : "BINARY";
    }

    static void retr(FtpSession s, String argument) throws IOException {
        long offset = s.parameters().restartOffset();
        if (!restartAllowed(s, offset)) {
            return;
        }
        FileChannel channel;
        String path = FileCommands.path(s, argument);
        try {
            channel = s.files().openForReading(path);
        } catch (NotAFileException e) {
            s.reply(550, e.isDirectory() ? "Is a directory." : "Not a plain file.");
            return;
        } catch (IOException | InvalidPathException e) {
            FileCommands.replyFailure(s, "RETR", e);
            return;
        }
        PendingData pending = dataConnection(s);
        if (pending == null) {
            channel.close();
            return;
        }
        long size = channel.size();
        boolean ascii = s.parameters().ascii();
        Throttle throttle = s.login().shares() == null ? null : s.login().shares().download();
        String name = path.substring(path.lastIndexOf('/') + 1);
        s.startTransfer(new Transfer(s, pending,
                "Opening " + mode(s) + " mode data connection for " + name + " (" + size + " bytes).",
                data -> {
                    try (channel) {
                        long sent = TransferPump.send(channel, offset, data, ascii, throttle);
                        return "Transfer complete: " + sent + " bytes sent.";
                    }
                }, () -> FtpSession.closeQuietly(channel)));
    }

    /**
     * STOR and APPE. A new upload is written to a temporary file beside the target and renamed over it once
     * complete; resuming (REST) and appending write into the file itself, as they must.
     */
    static void store(FtpSession s, String argument, boolean append) throws IOException {
        long offset = append ? -1 : s.parameters().restartOffset();
        if (!restartAllowed(s, offset)) {
            return;
        }
        boolean inPlace = append || offset > 0;
        String path = FileCommands.path(s, argument);
        Upload upload;
        try {
            upload = inPlace ? s.files().writeInPlace(path) : s.files().replace(path);
            if (offset > upload.channel().size()) {
                upload.discard();
                s.reply(554, "Restart offset " + offset + " is beyond the end of the file.");
                return;
            }
        } catch (NotAFileException e) {
            s.reply(553, e.isDirectory() ? "Is a directory." : "Not a plain file.");
            return;
        } catch (NoSuchFileException | NotDirectoryException | VirtualFileSystem.PathOutsideRootException e) {
            s.reply(553, "The directory does not exist.");
            return;
        } catch (IOException | InvalidPathException e) {
            FileCommands.replyFailure(s, append ? "APPE" : "STOR", e);
            return;
        }
        receive(s, upload, offset, "Opening " + mode(s) + " mode data connection for " + upload.name() + ".", false);
    }

    /**
     * Runs an upload's transfer: the file is committed when every byte arrived, discarded otherwise.
     *
     * @param named whether the 226 reply names the file (STOU, whose name the server chose)
     */
    private static void receive(FtpSession s, Upload upload, long offset, String opening, boolean named)
            throws IOException {
        PendingData pending = dataConnection(s);
        if (pending == null) {
            upload.discard();
            return;
        }
        boolean ascii = s.parameters().ascii();
        boolean sync = s.host.settings().syncUploads();
        Throttle throttle = s.login().shares() == null ? null : s.login().shares().upload();
        TransferPump.WriteGuard quota = upload.hasQuota() ? upload::reserve : null;
        FileAction action = s.pendingAction();
        if (action != null) {
            action.storedAs(upload.virtualPath()); // STOU: the name the server chose
        }
        s.startTransfer(new Transfer(s, pending, opening,
                data -> {
                    FileChannel channel = upload.channel();
                    long start = offset < 0 ? channel.size() : offset;
                    if (action != null) {
                        action.startsAt(start);
                    }
                    long received;
                    try {
                        received = TransferPump.receive(data, channel, start, ascii, throttle, quota);
                    } catch (StorageFailure e) {
                        if (e.kind() == StorageFailure.Kind.QUOTA) {
                            cutBack(upload, start, e); // nothing of it stays: APPE leaves the file as it was
                        }
                        throw e;
                    }
                    try {
                        if (offset > 0) {
                            channel.truncate(start + received); // REST+STOR replaces the rest of the file
                        }
                        if (sync) {
                            channel.force(false); // durable before it replaces the target
                        }
                    } catch (IOException e) {
                        throw StorageFailure.of("cannot put the upload in place", e);
                    }
                    checkCompleteUpload(s, action, upload, start, received);
                    try {
                        upload.commit();
                    } catch (IOException e) {
                        throw StorageFailure.of("cannot put the upload in place", e);
                    }
                    return "Transfer complete: " + received + " bytes "
                            + (named ? "stored in " + upload.name() + "." : "received.");
                }, upload::discard));
    }

    /**
     * The hooks' last word on an upload whose bytes all arrived, before it is put in place. A refused new upload is
     * then discarded (the old file stays); a refused APPE or resumed upload is cut back to where it began.
     */
    private static void checkCompleteUpload(FtpSession s, FileAction action, Upload upload, long start,
            long received) throws IOException {
        if (action == null || !s.host.hooks().any()) {
            return;
        }
        Decision d = s.host.hooks().check(action.completed(upload.writtenFile(), received));
        if (d.isAllowed()) {
            return;
        }
        if (upload.inPlace()) {
            try {
                upload.cutBack(start);
            } catch (IOException e) {
                throw StorageFailure.of("cannot cut the refused upload back to its old length", e);
            }
        }
        throw new Transfer.Refused(d.replyCode() != 0 ? d.replyCode() : 550, d.message());
    }

    /** Cuts an in-place upload back after a failure; a failure to do so is added to the one being thrown. */
    private static void cutBack(Upload upload, long start, StorageFailure failure) {
        try {
            upload.cutBack(start);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * RFC 3659 5.5: a restart offset counts bytes of the transfer, which in TYPE A differ from bytes of the file;
     * rather than guess, restarts are refused in TYPE A (clients resume in TYPE I).
     */
    private static boolean restartAllowed(FtpSession s, long offset) throws IOException {
        if (offset > 0 && s.parameters().ascii()) {
            s.reply(504, "REST is not supported in ASCII mode; use TYPE I to resume.");
            return false;
        }
        return true;
    }

    /** STOU [name]: stores under a name that does not exist yet, told in the 150 reply (RFC 1123 4.1.2.9). */
    static void stou(FtpSession s, String argument) throws IOException {
        Upload upload;
        try {
            upload = s.files().createUnique(FileCommands.path(s, argument.isBlank() ? "wharf-upload" : argument));
        } catch (NoSuchFileException | NotDirectoryException | VirtualFileSystem.PathOutsideRootException e) {
            s.reply(553, "The directory does not exist.");
            return;
        } catch (FileAlreadyExistsException e) {
            s.reply(553, "No unique name is free.");
            return;
        } catch (IOException | InvalidPathException e) {
            FileCommands.replyFailure(s, "STOU", e);
            return;
        }
        receive(s, upload, 0, "FILE: " + upload.name(), true);
    }

    /** The three listing forms: {@code ls -l} lines, bare names, and RFC 3659 facts. */
    enum Listing {
        LONG, NAMES, MACHINE
    }

    /** Formats one entry of a listing. */
    @FunctionalInterface
    interface EntryFormat {
        String format(VirtualFileSystem.Entry entry);
    }

    static void list(FtpSession s, String argument, Listing form) throws IOException {
        String path = form == Listing.MACHINE ? argument : listingPath(s, argument);
        VirtualFileSystem.Listing listing;
        try {
            listing = s.files().list(FileCommands.path(s, path));
        } catch (IOException | InvalidPathException e) {
            FileCommands.replyFailure(s, form == Listing.MACHINE ? "MLSD" : form == Listing.NAMES ? "NLST" : "LIST", e);
            return;
        }
        if (form == Listing.MACHINE && !listing.isDirectory()) {
            listing.close();
            s.reply(501, "MLSD lists directories; use MLST for a file.");
            return;
        }
        PendingData pending = dataConnection(s);
        if (pending == null) {
            listing.close();
            return;
        }
        EntryFormat format = entryFormat(s, form, path, listing.isDirectory());
        s.startTransfer(new Transfer(s, pending, "Opening " + mode(s) + " mode data connection for file list.",
                data -> {
                    try (listing) {
                        Writer out = new BufferedWriter(new OutputStreamWriter(data.output(), StandardCharsets.UTF_8),
                                64 * 1024);
                        int count = 0;
                        for (VirtualFileSystem.Entry entry : listing) {
                            out.write(format.format(entry));
                            out.write("\r\n");
                            data.progressed();
                            count++;
                        }
                        out.flush();
                        return "Transfer complete: " + count + " entries.";
                    }
                }, () -> FtpSession.closeQuietly(listing)));
    }

    private static EntryFormat entryFormat(FtpSession s, Listing form, String path, boolean directory) {
        Instant now = Instant.now();
        return switch (form) {
            case LONG -> e -> ListingFormat.longLine(e.attributes(), e.name(), now);
            case MACHINE -> {
                java.util.Set<MlsxFacts.Fact> facts = s.parameters().facts();
                boolean writable = s.user().writable();
                yield e -> MlsxFacts.entry(e.attributes(), e.name(), facts, writable);
            }
            case NAMES -> {
                String prefix = path.isEmpty() || !directory ? "" : stripSlash(path) + "/";
                yield e -> prefix + e.name();
            }
        };
    }

    /** STAT path: the LIST form of a file (213) or directory (212) over the control connection. */
    static void statListing(FtpSession s, String argument) throws IOException {
        String path = listingPath(s, argument);
        try (VirtualFileSystem.Listing listing = s.files().list(FileCommands.path(s, path))) {
            int code = listing.isDirectory() ? 212 : 213;
            EntryFormat format = entryFormat(s, Listing.LONG, path, listing.isDirectory());
            StringBuilder chunk = new StringBuilder(code + "-Status of " + (path.isEmpty() ? s.cwd() : path) + ":\r\n");
            for (VirtualFileSystem.Entry entry : listing) {
                // A leading space keeps a line that starts with digits from looking like the end of the reply.
                chunk.append(' ').append(format.format(entry)).append("\r\n");
                if (chunk.length() > 32 * 1024) {
                    s.send(chunk.toString());
                    chunk.setLength(0);
                }
            }
            chunk.append(code).append(" End of status.\r\n");
            s.send(chunk.toString());
        } catch (IOException | InvalidPathException e) {
            if (e instanceof java.net.SocketException) {
                throw (IOException) e;
            }
            FileCommands.replyFailure(s, "STAT", e);
        }
    }

    /** LIST takes {@code ls} options such as {@code -la}; a name that exists wins over an option. */
    private static String listingPath(FtpSession s, String argument) {
        String arg = argument.trim();
        while (arg.startsWith("-")) {
            if (s.files().exists(FileCommands.path(s, arg))) {
                break;
            }
            int space = arg.indexOf(' ');
            arg = space < 0 ? "" : arg.substring(space + 1).trim();
        }
        return arg;
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    }

    static void abor(FtpSession s, String argument) throws IOException {
        Transfer t = s.currentTransfer();
        if (t == null) {
            FtpSession.closeQuietly(s.takePendingData());
            s.reply(225, "No transfer to abort.");
            return;
        }
        t.abort();
        s.awaitTransfer(); // the transfer answers 426 first
        s.reply(226, "Abort successful.");
    }
}
