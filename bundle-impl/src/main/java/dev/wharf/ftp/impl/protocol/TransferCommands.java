package dev.wharf.ftp.impl.protocol;

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
        CommandTable.loggedIn("LIST", (s, a) -> list(s, a, true));
        CommandTable.loggedIn("NLST", (s, a) -> list(s, a, false));
        CommandTable.immediate("ABOR", TransferCommands::abor, true);
    }

    /** Takes the data connection PASV/PORT prepared, or replies why there is none and returns null. */
    private static PendingData dataConnection(FtpSession s) throws IOException {
        if (s.pendingData == null) {
            s.reply(425, "Use PASV, EPSV, PORT or EPRT first.");
            return null;
        }
        if (!s.protectData && s.host.settings().tlsRequired() == ListenerSettings.TlsRequirement.ALL) {
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
        s.startTransfer(new Transfer(s, pending,
                "Opening " + mode(s) + " mode data connection for " + target.getFileName() + ".",
                data -> {
                    long received;
                    try (channel) {
                        long start = offset < 0 ? channel.size() : offset;
                        if (offset == 0 && inPlace) {
                            channel.truncate(0);
                        }
                        received = TransferPump.receive(data, channel, start, ascii);
                        if (offset > 0) {
                            channel.truncate(start + received); // REST+STOR replaces the rest of the file
                        }
                        channel.force(false);
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
                }, () -> {
                    FtpSession.closeQuietly(channel);
                    if (!inPlace) {
                        try {
                            Files.deleteIfExists(written);
                        } catch (IOException e) {
                            LOG.log(Level.WARNING, "cannot remove partial upload " + written, e);
                        }
                    }
                }));
    }

    static void list(FtpSession s, String argument, boolean longFormat) throws IOException {
        String path = listingPath(s, argument);
        Path real = FileCommands.resolve(s, path);
        if (real == null) {
            return;
        }
        if (!Files.exists(real)) {
            s.reply(550, "No such file or directory.");
            return;
        }
        PendingData pending = dataConnection(s);
        if (pending == null) {
            return;
        }
        String prefix = longFormat || path.isEmpty() || !Files.isDirectory(real) ? "" : stripSlash(path) + "/";
        s.startTransfer(new Transfer(s, pending, "Opening " + mode(s) + " mode data connection for file list.",
                data -> {
                    int count = writeListing(data, real, longFormat, prefix);
                    return "Transfer complete: " + count + " entries.";
                }, null));
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
    private static int writeListing(DataConnection data, Path target, boolean longFormat, String prefix)
            throws IOException {
        Writer out = new BufferedWriter(new OutputStreamWriter(data.output(), StandardCharsets.UTF_8), 64 * 1024);
        Instant now = Instant.now();
        int count = 0;
        if (!Files.isDirectory(target)) {
            String name = target.getFileName().toString();
            out.write(longFormat ? ListingFormat.longLine(target, name, now) : name);
            out.write("\r\n");
            count++;
        } else {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    String line;
                    try {
                        line = longFormat ? ListingFormat.longLine(entry, name, now) : prefix + name;
                    } catch (IOException vanished) {
                        continue; // deleted while listing
                    }
                    out.write(line);
                    out.write("\r\n");
                    count++;
                }
            }
        }
        out.flush();
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
