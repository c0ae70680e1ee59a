package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.api.hook.FileOperation;
import dev.wharf.ftp.impl.activity.Activity;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * One file operation a command performs, from dispatch to its end: what hooks are asked about (it is the
 * {@link FileOperation} they see) and what the report of its end says. Dispatch creates it from the command's
 * specification and argument; a transfer carries it to the transfer's end.
 */
final class FileAction implements FileOperation {

    private final Kind kind;
    private final String command;
    private final FtpSession session;
    private final UserAccount user;
    private final long startNanos = System.nanoTime();
    private String path;
    private Path realPath;
    private final String targetPath;
    private final Path realTargetPath;
    private Path uploadedFile;
    private long bytes;
    private final boolean ascii;
    private long offset;

    private FileAction(Kind kind, String command, FtpSession session, String path, String targetPath) {
        this.kind = kind;
        this.command = command;
        this.session = session;
        this.user = session.user();
        this.path = path;
        this.realPath = session.files().realPath(path);
        this.targetPath = targetPath;
        this.realTargetPath = targetPath == null ? null : session.files().realPath(targetPath);
        this.ascii = session.parameters().ascii();
        this.offset = Math.max(0, session.parameters().restartOffset());
    }

    /** The action of a command about to run, or null when it performs none (or cannot yet: RNTO without RNFR). */
    static FileAction of(FtpSession s, CommandSpec spec, String argument) {
        Kind kind = spec.operation();
        if (kind == null || !s.login().isLoggedIn()) {
            return null;
        }
        if (kind == Kind.RENAME) {
            String from = s.parameters().renameSource();
            return from == null ? null : new FileAction(kind, spec.name(), s, from, FileCommands.path(s, argument));
        }
        String argumentPath = argument.isBlank() && spec.name().equals("STOU") ? "wharf-upload" : argument;
        return new FileAction(kind, spec.name(), s, FileCommands.path(s, argumentPath), null);
    }

    /** The upload arrived whole in {@code file} ({@code received} bytes): what the UPLOAD_COMPLETE hooks see. */
    FileAction completed(Path file, long received) {
        FileAction done = new FileAction(Kind.UPLOAD_COMPLETE, command, session, path, null);
        done.uploadedFile = file;
        done.bytes = received;
        return done;
    }

    /** The server chose the name (STOU): from now on the action is about that path. */
    void storedAs(String virtualPath) {
        path = virtualPath;
        realPath = session.files().realPath(virtualPath);
    }

    /** Where in the file the transfer begins: APPE's old length (REST's offset is known from the start). */
    void startsAt(long position) {
        offset = position;
    }

    /** Whether hooks can be asked at all: a name the file system cannot hold is refused by the command itself. */
    boolean checkable() {
        return realPath != null && (targetPath == null || realTargetPath != null);
    }

    /** The topic of this action's end: e.g. {@code dev/wharf/ftp/upload/FAILED}. */
    String topic(String result) {
        String operation = switch (kind) {
            case UPLOAD, UPLOAD_COMPLETE -> "upload";
            case DOWNLOAD -> "download";
            case DELETE -> "delete";
            case RENAME -> "rename";
            case MAKE_DIRECTORY -> "mkdir";
            case REMOVE_DIRECTORY -> "rmdir";
        };
        return "dev/wharf/ftp/" + operation + "/" + result;
    }

    /** The report of this action's end, with what every file event carries. */
    Activity.Builder report(String result, int replyCode, String replyText) {
        return Activity.of(topic(result), session)
                .put(FtpEvents.COMMAND, command)
                .put(FtpEvents.PATH, path)
                .put(FtpEvents.REAL_PATH, realPath == null ? null : realPath.toString())
                .put(FtpEvents.TARGET_PATH, targetPath)
                .put(FtpEvents.REAL_TARGET_PATH, realTargetPath == null ? null : realTargetPath.toString())
                .put(FtpEvents.RESULT, result)
                .put(FtpEvents.REPLY_CODE, replyCode)
                .put(FtpEvents.REPLY_TEXT, replyText)
                .put(FtpEvents.DURATION, (System.nanoTime() - startNanos) / 1_000_000);
    }

    /** The report of a transfer's end: the file event's properties and the transfer's own. */
    Activity.Builder transferReport(String result, int replyCode, String replyText, long transferred,
            String dataTlsProtocol, String dataTlsCipher) {
        return report(result, replyCode, replyText)
                .put(FtpEvents.BYTES, transferred)
                .put(FtpEvents.TRANSFER_TYPE, ascii ? "ascii" : "binary")
                .put(FtpEvents.OFFSET, offset)
                .put(FtpEvents.DATA_TLS_PROTOCOL, dataTlsProtocol)
                .put(FtpEvents.DATA_TLS_CIPHER, dataTlsCipher);
    }

    // ---- FileOperation ----

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String command() {
        return command;
    }

    @Override
    public FtpSessionInfo session() {
        return session;
    }

    @Override
    public UserAccount user() {
        return user;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Path realPath() {
        return realPath;
    }

    @Override
    public Optional<String> targetPath() {
        return Optional.ofNullable(targetPath);
    }

    @Override
    public Optional<Path> realTargetPath() {
        return Optional.ofNullable(realTargetPath);
    }

    @Override
    public Optional<Path> uploadedFile() {
        return Optional.ofNullable(uploadedFile);
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + " " + path + (targetPath == null ? "" : " -> " + targetPath);
    }
}
