package dev.wharf.ftp.api.event;

/**
 * The topics and property names of the events Wharf posts on the OSGi EventAdmin, when one is present. Events are
 * posted asynchronously, after the fact: a handler never delays a session or a transfer. Subscribe to
 * {@link #TOPIC_ALL} for everything, to an operation's prefix with {@code /*} (e.g. {@code dev/wharf/ftp/upload/*}),
 * or to single topics.
 *
 * <p>Every event has {@link #LISTENER}, {@link #SESSION_ID}, {@link #REMOTE_ADDRESS}, {@link #REMOTE_PORT} and
 * {@link #TIMESTAMP}; {@link #USER} once a user is known, and {@link #TLS_PROTOCOL}/{@link #TLS_CIPHER} while the
 * control connection is protected. File events add {@link #COMMAND}, {@link #PATH}, {@link #REAL_PATH},
 * {@link #RESULT}, {@link #REPLY_CODE}, {@link #REPLY_TEXT} and {@link #DURATION}; transfers that opened their data
 * connection also {@link #BYTES}, {@link #TRANSFER_TYPE}, {@link #OFFSET} and, when the data connection is
 * protected, {@link #DATA_TLS_PROTOCOL} and {@link #DATA_TLS_CIPHER} (a transfer refused before, e.g. RETR of a
 * missing file, has none of these); renames {@link #TARGET_PATH} and {@link #REAL_TARGET_PATH}. Failed logins carry a
 * {@link #REASON}.
 */
public final class FtpEvents {

    private FtpEvents() {
    }

    /** Every Wharf topic, for a handler's {@code event.topics}. */
    public static final String TOPIC_ALL = "dev/wharf/ftp/*";

    /** A control connection was accepted (it passed the address filter and the connection limits). */
    public static final String SESSION_OPENED = "dev/wharf/ftp/session/OPENED";
    /** A control connection ended, for whatever reason. */
    public static final String SESSION_CLOSED = "dev/wharf/ftp/session/CLOSED";

    /** A user logged in (by password or client certificate; see {@link #AUTHENTICATION}). */
    public static final String LOGIN_SUCCEEDED = "dev/wharf/ftp/login/SUCCEEDED";
    /** A login was refused; {@link #REASON} says why. */
    public static final String LOGIN_FAILED = "dev/wharf/ftp/login/FAILED";

    /** STOR, APPE or STOU: every byte arrived and the file is in place. */
    public static final String UPLOAD_COMPLETED = "dev/wharf/ftp/upload/COMPLETED";
    /** An upload that was refused or failed (a hook, the disk, the network); nothing new is in place. */
    public static final String UPLOAD_FAILED = "dev/wharf/ftp/upload/FAILED";
    /** An upload stopped by ABOR, by the session ending or by an operator. */
    public static final String UPLOAD_ABORTED = "dev/wharf/ftp/upload/ABORTED";

    public static final String DOWNLOAD_COMPLETED = "dev/wharf/ftp/download/COMPLETED";
    public static final String DOWNLOAD_FAILED = "dev/wharf/ftp/download/FAILED";
    public static final String DOWNLOAD_ABORTED = "dev/wharf/ftp/download/ABORTED";

    /** DELE. */
    public static final String DELETE_COMPLETED = "dev/wharf/ftp/delete/COMPLETED";
    public static final String DELETE_FAILED = "dev/wharf/ftp/delete/FAILED";

    /** RNFR and RNTO. */
    public static final String RENAME_COMPLETED = "dev/wharf/ftp/rename/COMPLETED";
    public static final String RENAME_FAILED = "dev/wharf/ftp/rename/FAILED";

    /** MKD. */
    public static final String DIRECTORY_CREATED = "dev/wharf/ftp/mkdir/COMPLETED";
    public static final String DIRECTORY_CREATE_FAILED = "dev/wharf/ftp/mkdir/FAILED";

    /** RMD. */
    public static final String DIRECTORY_REMOVED = "dev/wharf/ftp/rmdir/COMPLETED";
    public static final String DIRECTORY_REMOVE_FAILED = "dev/wharf/ftp/rmdir/FAILED";

    /**
     * The defender banned an address: connections from it are refused before any TLS work until
     * {@link #BAN_UNTIL}. Has {@link #REMOTE_ADDRESS}, {@link #TIMESTAMP}, {@link #BAN_UNTIL}, {@link #BAN_COUNT}
     * and {@link #SCORE}, no session properties.
     */
    public static final String DEFENDER_BANNED = "dev/wharf/ftp/defender/BANNED";
    /** A ban ended (its time passed); has {@link #REMOTE_ADDRESS} and {@link #TIMESTAMP}. */
    public static final String DEFENDER_UNBANNED = "dev/wharf/ftp/defender/UNBANNED";

    // ---- properties ----

    /** The listener's name (String). */
    public static final String LISTENER = "listener";
    /** The session's identifier (String), the same in every event of one connection. */
    public static final String SESSION_ID = "session.id";
    /** The user name (String): the logged-in user, or for a failed login the name that was tried. */
    public static final String USER = "user";
    /** The client's IP address (String). */
    public static final String REMOTE_ADDRESS = "remote.address";
    /** The client's TCP port (Integer). */
    public static final String REMOTE_PORT = "remote.port";
    /** The control connection's TLS protocol (String), e.g. TLSv1.3. */
    public static final String TLS_PROTOCOL = "tls.protocol";
    /** The control connection's TLS cipher suite (String). */
    public static final String TLS_CIPHER = "tls.cipher";
    /** The data connection's TLS protocol (String), when the data was protected. */
    public static final String DATA_TLS_PROTOCOL = "data.tls.protocol";
    /** The data connection's TLS cipher suite (String), when the data was protected. */
    public static final String DATA_TLS_CIPHER = "data.tls.cipher";
    /** The FTP command (String): STOR, APPE, STOU, RETR, DELE, RNTO, MKD, RMD. */
    public static final String COMMAND = "command";
    /** The client's path (String), absolute within the user's root, e.g. {@code /reports/q3.pdf}. */
    public static final String PATH = "path";
    /** Where that path is on the server's disk (String). */
    public static final String REAL_PATH = "real.path";
    /** A rename's new path (String), as the client sees it. */
    public static final String TARGET_PATH = "target.path";
    /** A rename's new path on the server's disk (String). */
    public static final String REAL_TARGET_PATH = "real.target.path";
    /** Bytes moved over the data connection (Long); for a transfer that failed, those moved before it did. */
    public static final String BYTES = "bytes";
    /** How long the operation took, in milliseconds (Long), from the command's arrival to its last reply. */
    public static final String DURATION = "duration";
    /** {@code ascii} or {@code binary} (String). */
    public static final String TRANSFER_TYPE = "transfer.type";
    /** Where in the file a transfer began (Long): a REST offset, or the old size for APPE; 0 otherwise. */
    public static final String OFFSET = "offset";
    /** COMPLETED, FAILED or ABORTED for file events; SUCCEEDED or FAILED for logins (String). */
    public static final String RESULT = "result";
    /** The reply code the client got for the operation (Integer). */
    public static final String REPLY_CODE = "reply.code";
    /** The reply text the client got (String). */
    public static final String REPLY_TEXT = "reply.text";
    /** How a login was authenticated (String): {@code password}, {@code certificate}, or {@code anonymous}. */
    public static final String AUTHENTICATION = "authentication";
    /** Why a login failed (String): one of the {@code REASON_} values. */
    public static final String REASON = "reason";
    /** When it happened, in milliseconds since the epoch (Long); EventAdmin's {@code timestamp}. */
    public static final String TIMESTAMP = "timestamp";

    /** When a ban ends, in milliseconds since the epoch (Long). */
    public static final String BAN_UNTIL = "ban.until";
    /** How many times the address has been banned, this ban included (Integer); the ban time grows with it. */
    public static final String BAN_COUNT = "ban.count";
    /** The address's score within the defender's window when it was banned (Integer). */
    public static final String SCORE = "score";

    // ---- values ----

    public static final String RESULT_COMPLETED = "COMPLETED";
    public static final String RESULT_FAILED = "FAILED";
    public static final String RESULT_ABORTED = "ABORTED";
    public static final String RESULT_SUCCEEDED = "SUCCEEDED";

    /** No store knows the user (or none that can look users up without a password). */
    public static final String REASON_UNKNOWN_USER = "unknown.user";
    /** The password did not match. */
    public static final String REASON_WRONG_PASSWORD = "wrong.password";
    /** The account exists but is disabled. */
    public static final String REASON_DISABLED = "disabled";
    /** USER was sent before AUTH TLS on a listener (or for a user) that requires TLS. */
    public static final String REASON_TLS_REQUIRED = "tls.required";
    /** The account requires a client certificate that was missing or another. */
    public static final String REASON_CERTIFICATE = "certificate";
    /** The user's session limits were reached. */
    public static final String REASON_LIMITS = "limits";
    /** The user's home directory could not be used. */
    public static final String REASON_HOME = "home";
    /** A hook refused the login, threw or did not answer in time. */
    public static final String REASON_HOOK = "hook";
    /** The user may not log in from the client's address (the user's own allow/deny lists). */
    public static final String REASON_ADDRESS = "address";
    /** Too many password checks were under way (a flood); the connection was closed. */
    public static final String REASON_BUSY = "busy";
}
