package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.FtpTransferInfo;
import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.TlsSettings;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.impl.activity.Activity;
import dev.wharf.ftp.impl.data.PendingData;
import dev.wharf.ftp.impl.fs.VirtualFileSystem;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import dev.wharf.ftp.impl.tls.HandshakeFailures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One FTP session: the worker loop that reads command lines from the control connection and dispatches them by
 * the listener's {@link CommandTable}, and the state commands share, in three groups behind intent methods:
 * {@link LoginState}, {@link TransferParameters} and {@link Protection} (RFC 959 section 5.4, RFC 4217), plus the
 * current directory and the prepared data connection. Transfers run on their own worker ({@link Transfer}) so
 * that ABOR, STAT and NOOP are answered meanwhile.
 *
 * <p>A session ends in one way, {@link #end(String)}: from its own thread (QUIT, a failed AUTH) or from another
 * (the listener stopping, a deadline passing), optionally with a last reply; the command loop then finishes and
 * releases what the session held.
 */
public final class FtpSession implements Runnable, FtpSessionInfo {

    private static final Logger LOG = Logger.getLogger(FtpSession.class.getName());
    private static final long EXPIRE_REPLY_MILLIS = 5_000;

    final SessionHost host;
    final Control control;
    private final String id;
    private final Instant openedAt = Instant.now();
    final TlsSettings controlTls;
    final TlsSettings dataTls;
    /** The listener's tls.required when the session began: a live change of it counts for new sessions only. */
    private final TlsRequirement listenerTlsRequired;

    private final LoginState login = new LoginState();
    private final TransferParameters parameters = new TransferParameters();
    private final Protection protection;
    /** Serialises replies from the session and its transfer, so that each leaves whole and in order. */
    private final Object replies = new Object();
    private String cwd = "/";
    private String clientName;
    private PendingData pendingData;
    private final FileActions fileActions = new FileActions(this);

    private final TransferSlot transfer = new TransferSlot();
    private volatile boolean ending;
    /** When the last command line arrived (System.nanoTime()), for the operator's idle time. */
    private volatile long lastCommand = System.nanoTime();

    private final SessionDeadlines deadlines = new SessionDeadlines();
    /** A deadline passed and the session is being ended for it. */
    private volatile boolean expired;

    /**
     * @param controlTls the TLS settings for the control connection, or null when the listener has no SSL
     *     configuration
     * @param ownDataTls the TLS settings for data connections when {@code data.ssl.target} gives them their own;
     *     null when they inherit the control connection's (the same snapshot, so that data connections can resume
     *     its session)
     */
    public FtpSession(SessionHost host, Control control, TlsSettings controlTls, TlsSettings ownDataTls) {
        this.host = host;
        this.control = control;
        this.id = host.nextSessionId();
        this.controlTls = controlTls;
        this.dataTls = ownDataTls != null ? ownDataTls : controlTls;
        this.protection = new Protection(host.settings().tls().implicitSsl(), host.settings().tls().dataImplicitSsl());
        this.listenerTlsRequired = host.settings().tls().required();
    }

    // ---- state, for the command groups ----

    LoginState login() {
        return login;
    }

    TransferParameters parameters() {
        return parameters;
    }

    Protection protection() {
        return protection;
    }

    /** The logged-in user, or null. */
    public UserAccount user() {
        return login.user();
    }

    /** The logged-in user's view of the disk. */
    VirtualFileSystem files() {
        return login.files();
    }

    /** The current directory, a normalised virtual path. */
    String cwd() {
        return cwd;
    }

    void changeDirectory(String virtualPath) {
        cwd = virtualPath;
    }

    /** What CLNT said the client is, or null. */
    String clientName() {
        return clientName;
    }

    void clientName(String name) {
        clientName = name;
    }

    public Control control() {
        return control;
    }

    public String clientAddress() {
        return control.remoteAddress().getHostAddress();
    }

    // ---- FtpSessionInfo ----

    @Override
    public String id() {
        return id;
    }

    @Override
    public String listenerName() {
        return host.settings().name();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress(control.remoteAddress(), control.remotePort());
    }

    @Override
    public Instant openedAt() {
        return openedAt;
    }

    @Override
    public String userName() {
        UserAccount u = login.user();
        return u == null ? null : u.name();
    }

    @Override
    public String tlsProtocol() {
        javax.net.ssl.SSLSession tls = control.tlsSession();
        return tls == null ? null : tls.getProtocol();
    }

    @Override
    public String tlsCipher() {
        javax.net.ssl.SSLSession tls = control.tlsSession();
        return tls == null ? null : tls.getCipherSuite();
    }

    @Override
    public Duration idleTime() {
        return Duration.ofNanos(System.nanoTime() - lastCommand);
    }

    @Override
    public FtpTransferInfo transfer() {
        Transfer t = transfer.current();
        return t == null ? null : t.info();
    }

    // ---- the command loop ----

    @Override
    public void run() {
        try {
            ListenerSettings settings = host.settings();
            host.activities().report(FtpEvents.SESSION_OPENED, () -> Activity.of(FtpEvents.SESSION_OPENED, this)
                    .build());
            deadlines.loginStarted(settings.limits().loginTimeoutSeconds());
            if (settings.tls().implicitSsl()) {
                startTls();
            }
            control.setIdleTimeout(idleTimeoutMillis());
            reply(220, "Wharf FTP server ready.");
            commandLoop();
        } catch (HandshakeFailed logged) {
            // said in startTls
        } catch (IOException e) {
            if (!ending) {
                LOG.log(Level.FINE, "session " + control.describe() + " ended: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "session " + control.describe() + " failed", e);
        } finally {
            release();
        }
    }

    private void commandLoop() throws IOException {
        while (!ending) {
            String line;
            try {
                line = control.readLine();
            } catch (LineReader.LineTooLongException e) {
                host.offence(this, Offence.PROTOCOL_ABUSE);
                reply(500, "Command line too long (limit " + LineReader.MAX_LINE + " bytes).");
                continue;
            } catch (SocketTimeoutException idle) {
                if (transfer.busy()) {
                    continue; // a long transfer keeps the session alive
                }
                reply(421, "Idle timeout: closing the control connection.");
                return;
            }
            if (line == null) {
                return;
            }
            lastCommand = System.nanoTime();
            dispatch(line);
        }
    }

    void dispatch(String line) throws IOException {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).trim().toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1);
        if (verb.isEmpty()) {
            reply(500, "Empty command.");
            return;
        }
        CommandSpec command = host.commands().find(verb);
        if (LOG.isLoggable(Level.FINE)) {
            boolean secret = command != null && command.has(CommandSpec.Flag.SENSITIVE_ARGUMENT);
            LOG.fine(control.describe() + " > " + (secret ? verb + " ****" : line));
        }
        if (command == null) {
            reply(502, "Command " + printable(verb) + " not implemented.");
            return;
        }
        if (!command.has(CommandSpec.Flag.DURING_TRANSFER)) {
            awaitTransfer();
        }
        if (command.has(CommandSpec.Flag.NEEDS_LOGIN) && !login.isLoggedIn()) {
            reply(530, "Please log in with USER and PASS first.");
            return;
        }
        if (command.has(CommandSpec.Flag.NEEDS_ARGUMENT) && argument.isBlank()) {
            reply(501, "Syntax error: " + verb + " needs an argument.");
            return;
        }
        FileAction action = FileAction.of(this, command, argument);
        if (command.has(CommandSpec.Flag.WRITES) && !login.user().writable()
                && !fileActions.uploadIntoDropBox(action)) {
            reply(550, "Permission denied: this account is read-only.");
            return;
        }
        try {
            if (action == null || fileActions.allowedByHooks(action)) {
                fileActions.run(action, () -> execute(command, argument));
            }
        } finally {
            parameters.afterCommand(command);
        }
    }

    private void execute(CommandSpec command, String argument) throws IOException {
        try {
            command.handler().execute(this, argument);
        } catch (IllegalArgumentException e) {
            reply(501, "Syntax error in arguments: " + e.getMessage());
        }
    }

    /** The file operation of the running command, for the transfer it starts and the upload's last hook. */
    FileAction pendingAction() {
        return fileActions.pending();
    }

    private static String printable(String verb) {
        String shown = verb.length() > 16 ? verb.substring(0, 16) + "..." : verb;
        return shown.replaceAll("[^\\x20-\\x7E]", "?");
    }

    // ---- replies ----

    /** Sends a one-line reply. */
    public void reply(int code, String text) throws IOException {
        String line = text.replace("\r", "").replace("\n", " ");
        fileActions.replied(code, line);
        send(code + " " + line + "\r\n");
    }

    /** Sends a multi-line reply: {@code code-first}, the lines (each indented by a space), {@code code last}. */
    void replyLines(int code, String first, Iterable<String> lines, String last) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append(code).append('-').append(first).append("\r\n");
        for (String l : lines) {
            b.append(' ').append(l).append("\r\n");
        }
        b.append(code).append(' ').append(last).append("\r\n");
        send(b.toString());
    }

    /** Sends reply text already formatted (whole lines), in one piece. */
    void send(String text) throws IOException {
        synchronized (replies) {
            control.send(text);
        }
    }

    // ---- TLS, login and deadlines ----

    /** A TLS handshake on the control connection that failed; already logged. */
    static final class HandshakeFailed extends IOException {
        private static final long serialVersionUID = 1L;

        HandshakeFailed(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Runs the TLS handshake on the control connection (implicit TLS, or after AUTH), within the listener's
     * handshake deadline however slowly the client sends; a failure is logged here, once.
     */
    void startTls() throws HandshakeFailed {
        int timeoutMillis = host.settings().tls().handshakeTimeoutSeconds() * 1000;
        deadlines.handshakeStarted(timeoutMillis);
        try {
            control.startTls(controlTls, timeoutMillis);
        } catch (IOException e) {
            host.tlsHandshakeFailed();
            LOG.info(() -> (host.settings().tls().implicitSsl() ? "TLS handshake" : "TLS handshake after AUTH")
                    + " with " + control.describe() + " failed: "
                    + (expired ? "not complete within " + timeoutMillis / 1000 + " s" : HandshakeFailures.describe(e)));
            host.offence(this, Offence.TLS_HANDSHAKE);
            throw new HandshakeFailed(e);
        } finally {
            deadlines.handshakeEnded();
        }
    }

    /**
     * Logged in: the account's own limits apply from now on and the login deadline is off.
     *
     * @param shares the user's share of bandwidth and quota, given back at logout
     */
    void loggedIn(UserAccount account, VirtualFileSystem view, dev.wharf.ftp.impl.data.UserShares.Lease shares)
            throws IOException {
        login.loggedIn(account, view, shares);
        cwd = "/";
        deadlines.loggedIn();
        control.setIdleTimeout(idleTimeoutMillis());
    }

    /** The listener's TLS requirement, tightened by the user's (known from USER on). */
    TlsRequirement tlsRequirement() {
        TlsRequirement listener = listenerTlsRequired;
        UserAccount account = login.isLoggedIn() ? login.user() : login.announcedAccount();
        return account == null ? listener : listener.and(account.tlsRequired());
    }

    int dataTimeoutMillis() {
        return host.settings().data().timeoutSeconds() * 1000;
    }

    int idleTimeoutMillis() {
        UserAccount user = login.user();
        int seconds = user != null && user.idleTimeoutSeconds() > 0
                ? user.idleTimeoutSeconds() : host.settings().limits().idleTimeoutSeconds();
        return seconds * 1000;
    }

    /**
     * Called about once a second by the listener: ends a session whose handshake, login or command line is past
     * its deadline. Each is a total deadline, which a client that trickles a byte at a time cannot stretch, unlike
     * an idle timeout.
     */
    public void checkDeadlines(long now) {
        if (expired || ending) {
            return;
        }
        int commandTimeout = host.settings().limits().commandTimeoutSeconds();
        SessionDeadlines.Passed passed = deadlines.passed(now, control.partialLineSince(), commandTimeout);
        if (passed == null) {
            return;
        }
        switch (passed) {
            case HANDSHAKE -> expire(null); // startTls logs it
            case LOGIN -> {
                LOG.info(() -> "session " + control.describe() + " closed: no login within "
                        + host.settings().limits().loginTimeoutSeconds() + " s");
                host.offence(this, Offence.PROTOCOL_ABUSE);
                expire("421 Login timeout: closing the control connection.\r\n");
            }
            case COMMAND_LINE -> {
                LOG.info(() -> "session " + control.describe() + " closed: a command line was not complete within "
                        + commandTimeout + " s");
                host.offence(this, Offence.PROTOCOL_ABUSE);
                expire("421 Command not complete within " + commandTimeout + " s: closing the control connection."
                        + "\r\n");
            }
        }
    }

    /**
     * Ends the session from the listener's timer: the reply (if any) is written and the connection closed on a
     * worker, since a client that does not read could block the write; closing the socket wakes the session.
     */
    private void expire(String reply) {
        expired = true;
        endFromOutside(reply);
    }

    /**
     * Ends the session from a thread that must not wait for the client (the listener's timer, an operator): the
     * reply (if any, a whole line with its CRLF) is written and the connection closed on a pooled thread, and
     * closed regardless after a few seconds, since a client that does not read could block the write.
     */
    public void endFromOutside(String reply) {
        host.schedule(() -> end(null), EXPIRE_REPLY_MILLIS);
        host.runInBackground("wharf-end " + control.describe(), () -> end(reply));
    }

    // ---- transfers ----

    boolean transferRunning() {
        return transfer.busy();
    }

    Transfer currentTransfer() {
        return transfer.current();
    }

    void startTransfer(Transfer t) {
        t.reportsOn(fileActions.takeForTransfer());
        transfer.occupy(t);
        host.runTransfer("wharf-transfer " + control.describe(), t);
    }

    /**
     * Sends a transfer's final reply, leaving the transfer state first: a client that sends its next command as
     * soon as it reads the reply must find the session idle. The reply lock is held throughout, so a waiting ABOR
     * cannot answer before this reply is out.
     */
    void finishTransfer(Transfer t, int code, String text) throws IOException {
        synchronized (replies) {
            transferFinished(t);
            reply(code, text);
        }
    }

    /** Leaves the transfer state (once; also when no final reply could be sent). */
    void transferFinished(Transfer t) {
        transfer.leave(t);
    }

    /** Blocks until the running transfer (if any) has sent its final reply. */
    void awaitTransfer() {
        transfer.awaitFree();
    }

    /** The data connection PASV/PORT prepared, handed to the transfer that uses it. */
    PendingData takePendingData() {
        PendingData p = pendingData;
        pendingData = null;
        return p;
    }

    boolean hasPendingData() {
        return pendingData != null;
    }

    void replacePendingData(PendingData next) {
        closeQuietly(pendingData);
        pendingData = next;
    }

    // ---- ending ----

    /**
     * Ends the session, from any thread: a running transfer is aborted, the last reply (if any: a whole line with
     * its CRLF) is sent, and the control connection is closed, which ends the command loop. Safe to call more than
     * once.
     */
    public void end(String lastReply) {
        boolean first = !ending;
        ending = true;
        transfer.abort();
        if (first && lastReply != null) {
            try {
                send(lastReply);
            } catch (IOException gone) {
                // closing anyway
            }
        }
        control.close();
    }

    /** The listener stops: the session ends after its running transfer (if any) completes or the grace passes. */
    public void endAfterTransfer(long graceMillis) {
        transfer.awaitFree(graceMillis);
        end("421 Service closing: this listener is shutting down.\r\n");
    }

    /** REIN: back to the state right after connecting; TLS on the control connection stays. */
    void reinitialize() {
        awaitTransfer();
        closeQuietly(takePendingData());
        if (login.isLoggedIn()) {
            host.loggedOut(this);
        }
        login.logOut();
        parameters.reset();
        protection.reset();
        cwd = "/";
        deadlines.loginStarted(host.settings().limits().loginTimeoutSeconds());
    }

    /** After the command loop: whatever the session held is given back. */
    private void release() {
        ending = true;
        transfer.abort();
        closeQuietly(pendingData);
        control.close();
        login.releaseShares();
        host.sessionEnded(this);
        host.activities().report(FtpEvents.SESSION_CLOSED, () -> Activity.of(FtpEvents.SESSION_CLOSED, this)
                .put(FtpEvents.DURATION, java.time.Duration.between(openedAt, Instant.now()).toMillis()).build());
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // nothing more to do
            }
        }
    }
}
