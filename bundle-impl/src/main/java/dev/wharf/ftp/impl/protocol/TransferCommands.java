package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.impl.data.DataConnection;
import dev.wharf.ftp.impl.data.PendingData;
import dev.wharf.ftp.impl.data.TransferPump;
import dev.wharf.ftp.impl.fs.ListingFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Commands that move data: RETR, STOR, APPE, LIST, NLST, and ABOR to stop them. */
final class TransferCommands {

    private static final Logger LOG = Logger.getLogger(TransferCommands.class.getName());

    private TransferCommands() {
    }

    static void register() {
        CommandTable.loggedInWithArgument("RETR", TransferCommands::retr);
        CommandTable.loggedInWithArgument("STOR", (s, a) -> store(s, a, false));
        CommandTable.loggedInWithArgument("APPE", (s, a) -> store(s, a, true));
        CommandTable.loggedIn("STOU", TransferCommands::stou);
        CommandTable.loggedIn("LIST", (s, a) -> list(s, a, Listing.LONG));
        CommandTable.loggedIn("NLST", (s, a) -> list(s, a, Listing.NAMES));
        CommandTable.loggedIn("MLSD", (s, a) -> list(s, a, Listing.MACHINE));
        CommandTable.immediate("ABOR", TransferCommands::abor, true);
    }

    /** Takes the data connection PASV/PORT prepared, or replies why there is none and returns null. */
    private static PendingData dataConnection(FtpSession s) throws IOException {
        if (s.pendingData == null) {
            s.reply(425, "Use PASV, EPSV, PORT or EPRT first.");
            return null;
        }
        if (!s.protectData && s.tlsRequirement() == TlsRequirement.ALL) {
            s.reply(521, "Data connections must be protected on this listener: send PROT P.");
            return null;
        }
        return s.takePendingData();
    }

    private static String mode(FtpSession s) {
        return s.ascii ? "ASCII" : "BINARY";
    }

    static void retr(FtpSession s, String argument) throws IOException {
        Path file = FileCommands.resolve(s, argument);
        if (file == null) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            s.reply(550, Files.isDirectory(file) ? "Is a directory." : "No such file.");
            return;
        }
        long offset = s.restartOffset;
        if (!restartAllowed(s, offset)) {
            return;
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            FileCommands.replyFailure(s, "RETR", e);
            return;
        }
        PendingData pending = dataConnection(s);
        if (pending == null) {
            channel.close();
            return;
        }
        long size = channel.size();
        boolean ascii = s.ascii;
        String name = file.getFileName().toString();
        s.startTransfer(new Transfer(s, pending,
                "Opening " + mode(s) + " mode data connection for " + name + " (" + size + " bytes).",
                data -> {
                    try (channel) {
                        long sent = TransferPump.send(channel, offset, data, ascii);
                        return "Transfer complete: " + sent + " bytes sent.";
                    }
                }, () -> FtpSession.closeQuietly(channel)));
    }

    static void store(FtpSession s, String argument, boolean append) throws IOException {
        Path target = FileCommands.resolve(s, argument);
        if (target == null || !FileCommands.checkWritable(s)) {
            return;
        }
        if (Files.isDirectory(target)) {
            s.reply(553, "Is a directory.");
            return;
        }
        if (!Files.isDirectory(target.getParent())) {
            s.reply(553, "The directory does not exist.");
            return;
        }
        long offset = append ? -1 : s.restartOffset;
        if (!restartAllowed(s, offset)) {
            return;
        }
        boolean inPlace = append || offset > 0;
        Path written;
        FileChannel channel;
        try {
            if (inPlace) {
                // Resuming or appending must extend the existing file where it is.
                written = target;
                channel = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
                if (offset > channel.size()) {
                    channel.close();
                    s.reply(554, "Restart offset " + offset + " is beyond the end of the file.");
                    return;
                }
            } else {
                // A new upload goes to a temporary file and replaces the target only once complete.
                written = target.resolveSibling("." + target.getFileName() + ".wharf-" + UUID.randomUUID() + ".part");
                channel = FileChannel.open(written, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
            }
        } catch (IOException e) {
            FileCommands.replyFailure(s, append ? "APPE" : "STOR", e);
            return;
        }
        PendingData pending = dataConnection(s);
        if (pending == null) {
            channel.close();
            if (!inPlace) {
                Files.deleteIfExists(written);
            }
            return;
        }
        boolean ascii = s.ascii;
        boolean sync = s.host.settings().syncUploads();
        s.startTransfer(new Transfer(s, pending,
                "Opening " + mode(s) + " mode data connection for " + target.getFileName() + ".",
                data -> {
                    long received;
                    try (channel) {
                        long start = offset < 0 ? channel.size() : offset;
                        received = TransferPump.receive(data, channel, start, ascii);
                        if (offset > 0) {
                            channel.truncate(start + received); // REST+STOR replaces the rest of the file
                        }
                        if (sync) {
                            channel.force(false); // durable before it replaces the target
                        }
                    }
                    if (!inPlace) {
                        try {
                            Files.move(written, target, StandardCopyOption.REPLACE_EXISTING,
                                    StandardCopyOption.ATOMIC_MOVE);
                        } catch (IOException e) {
                            throw new Transfer.LocalFailure("cannot move the upload into place", e);
                        }
                    }
                    return "Transfer complete: " + received + " bytes received.";
                }, () -> discard(channel, inPlace ? null : written)));
    }

    /**
     * RFC 3659 5.5: a restart offset counts bytes of the transfer, which in TYPE A differ from bytes of the file;
     * rather than guess, restarts are refused in TYPE A (clients resume in TYPE I).
     */
    private static boolean restartAllowed(FtpSession s, long offset) throws IOException {
        if (offset > 0 && s.ascii) {
            s.reply(504, "REST is not supported in ASCII mode; use TYPE I to resume.");
            return false;
        }
        return true;
    }

    /** STOU [name]: stores under a name that does not exist yet, told in the 150 reply (RFC 1123 4.1.2.9). */
    static void stou(FtpSession s, String argument) throws IOException {
        if (!FileCommands.checkWritable(s)) {
            return;
        }
        Path base = FileCommands.resolve(s, argument.isBlank() ? "wharf-upload" : argument);
        if (base == null) {
            return;
        }
        if (!Files.isDirectory(base.getParent())) {
            s.reply(553, "The directory does not exist.");
            return;
        }
        FileChannel channel = null;
        Path target = base;
        for (int i = 1; channel == null && i < 10_000; i++) {
            try {
                channel = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                target = base.resolveSibling(base.getFileName() + "." + i);
            } catch (IOException e) {
                FileCommands.replyFailure(s, "STOU", e);
                return;
            }
        }
        if (channel == null) {
            s.reply(553, "No unique name is free.");
            return;
        }
        PendingData pending = dataConnection(s);
        Path created = target;
        if (pending == null) {
            channel.close();
            Files.deleteIfExists(created);
            return;
        }
        FileChannel out = channel;
        boolean ascii = s.ascii;
        boolean sync = s.host.settings().syncUploads();
        s.startTransfer(new Transfer(s, pending, "FILE: " + created.getFileName(),
                data -> {
                    long received;
                    try (out) {
                        received = TransferPump.receive(data, out, 0, ascii);
                        if (sync) {
                            out.force(false);
                        }
                    }
                    return "Transfer complete: " + received + " bytes stored in " + created.getFileName() + ".";
                }, () -> discard(out, created)));
    }

    /** After a failed upload: closes the file and removes the partial one (null: written in place, kept). */
    private static void discard(FileChannel channel, Path partial) {
        FtpSession.closeQuietly(channel);
        if (partial != null) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot remove partial upload " + partial, e);
            }
        }
    }

    /** The three listing forms: {@code ls -l} lines, bare names, and RFC 3659 facts. */
    enum Listing {
        LONG, NAMES, MACHINE
    }

    /** Formats one entry of a listing; an IOException means the entry vanished while listing. */
    @FunctionalInterface
    interface EntryFormat {
        String format(Path entry, String name) throws IOException;
    }

    static void list(FtpSession s, String argument, Listing form) throws IOException {
        boolean longFormat = form != Listing.NAMES;
        String path = form == Listing.MACHINE ? argument : listingPath(s, argument);
        Path real = FileCommands.resolveExisting(s, path);
        if (real == null) {
            return;
        }
        if (form == Listing.MACHINE && !Files.isDirectory(real)) {
            s.reply(501, "MLSD lists directories; use MLST for a file.");
            return;
        }
        PendingData pending = dataConnection(s);
        if (pending == null) {
            return;
        }
        EntryFormat format = entryFormat(s, form, path, real);
        s.startTransfer(new Transfer(s, pending, "Opening " + mode(s) + " mode data connection for file list.",
                data -> {
                    Writer out = new BufferedWriter(new OutputStreamWriter(data.output(), StandardCharsets.UTF_8),
                            64 * 1024);
                    int count = writeListing(real, format, line -> {
                        out.write(line);
                        out.write("\r\n");
                        data.progressed();
                    });
                    out.flush();
                    return "Transfer complete: " + count + " entries.";
                }, null));
    }

    private static EntryFormat entryFormat(FtpSession s, Listing form, String path, Path real) {
        Instant now = Instant.now();
        return switch (form) {
            case LONG -> (entry, name) -> ListingFormat.longLine(entry, name, now);
            case MACHINE -> {
                java.util.Set<dev.wharf.ftp.impl.fs.MlsxFacts.Fact> facts = s.mlstFacts.clone();
                boolean writable = s.user.writable();
                yield (entry, name) -> dev.wharf.ftp.impl.fs.MlsxFacts.entry(entry, name, facts, writable);
            }
            case NAMES -> {
                String prefix = path.isEmpty() || !Files.isDirectory(real) ? "" : stripSlash(path) + "/";
                yield (entry, name) -> prefix + name;
            }
        };
    }

    /** STAT path: the LIST form of a file (213) or directory (212) over the control connection. */
    static void statListing(FtpSession s, String argument) throws IOException {
        String path = listingPath(s, argument);
        Path real = FileCommands.resolveExisting(s, path);
        if (real == null) {
            return;
        }
        int code = Files.isDirectory(real) ? 212 : 213;
        EntryFormat format = entryFormat(s, Listing.LONG, path, real);
        StringBuilder chunk = new StringBuilder(code + "-Status of " + (path.isEmpty() ? s.cwd : path) + ":\r\n");
        writeListing(real, format, line -> {
            // A leading space keeps a line that starts with digits from looking like the end of the reply.
            chunk.append(' ').append(line).append("\r\n");
            if (chunk.length() > 32 * 1024) {
                s.control.send(chunk.toString());
                chunk.setLength(0);
            }
        });
        chunk.append(code).append(" End of status.\r\n");
        s.control.send(chunk.toString());
    }

    /** Where listing lines go. */
    @FunctionalInterface
    interface LineSink {
        void accept(String line) throws IOException;
    }

    /** LIST takes {@code ls} options such as {@code -la}; a name that exists wins over an option. */
    private static String listingPath(FtpSession s, String argument) throws IOException {
        String arg = argument.trim();
        while (arg.startsWith("-")) {
            Path asName = FileCommands.resolveQuietly(s, arg);
            if (asName != null && Files.exists(asName)) {
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

    /** Streams the listing from the directory: nothing is collected in memory first. */
    private static int writeListing(Path target, EntryFormat format, LineSink sink) throws IOException {
        if (!Files.isDirectory(target)) {
            sink.accept(format.format(target, target.getFileName().toString()));
            return 1;
        }
        int count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            for (Path entry : entries) {
                String line;
                try {
                    line = format.format(entry, entry.getFileName().toString());
                } catch (IOException vanished) {
                    continue; // deleted while listing
                }
                sink.accept(line);
                count++;
            }
        }
        return count;
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
