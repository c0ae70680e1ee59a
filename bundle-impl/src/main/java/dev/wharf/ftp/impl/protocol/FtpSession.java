package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.impl.settings.ListenerSettings;
import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.TlsSettings;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.data.PendingData;
import dev.wharf.ftp.impl.fs.FileDigest;
import dev.wharf.ftp.impl.fs.MlsxFacts;
import dev.wharf.ftp.impl.fs.VirtualFileSystem;
import dev.wharf.ftp.impl.tls.HandshakeFailures;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One FTP session: the worker loop that reads commands from the control connection and dispatches them, and the
 * state the commands share (RFC 959 section 5.4: login, current directory, transfer parameters, TLS protection).
 * Transfers run on their own worker ({@link Transfer}) so that ABOR, STAT and NOOP are answered meanwhile.
 */
public final class FtpSession implements Runnable {

    private static final Logger LOG = Logger.getLogger(FtpSession.class.getName());

    final SessionHost host;
    final ControlChannel control;
    final TlsSettings controlTls;
    final TlsSettings dataTls;

    // Login state
    String pendingUser;
    UserAccount pendingAccount; // what USER found, for its TLS policy and certificate login
    UserAccount user;
    VirtualFileSystem fs;
    int loginFailures;

    // Transfer parameters and extension options, all set by resetParameters()
    String cwd;
    boolean ascii;
    boolean pbszSet;
    boolean protectData;
    boolean epsvAll;
    PendingData pendingData;
    long restartOffset;
    String renameFrom;
    EnumSet<MlsxFacts.Fact> mlstFacts;
    FileDigest hashAlgorithm;
    long rangeStart; // RANG: byte range for the next HASH, end inclusive; -1 for none
    long rangeEnd;
    String clientName;

    private volatile Transfer transfer;
    private volatile boolean closing;

    // Deadlines (System.nanoTime()), checked once a second by the listener; 0 when none runs
    private volatile long handshakeDeadline;
    private volatile long loginDeadline;
    private volatile boolean expired;
    private static final long EXPIRE_REPLY_MILLIS = 5_000;

    /**
     * @param controlTls the TLS settings for the control connection, or null when the listener has no SSL
     *     configuration
     * @param ownDataTls the TLS settings for data connections when {@code data.ssl.target} gives them their own;
     *     null when they inherit the control connection's (the same snapshot, so that data connections can resume
     *     its session)
     */
    public FtpSession(SessionHost host, ControlChannel control, TlsSettings controlTls, TlsSettings ownDataTls) {
        this.host = host;
        this.control = control;
        this.controlTls = controlTls;
        this.dataTls = ownDataTls != null ? ownDataTls : controlTls;
        resetParameters();
    }

    /** The state of a session that has just connected (RFC 959 defaults; REIN returns to it). */
    private void resetParameters() {
        cwd = "/";
        ascii = true; // RFC 959: TYPE A is the default
        protectData = host.settings().tls().dataImplicitSsl();
        pbszSet = host.settings().tls().implicitSsl(); // implicit TLS: PBSZ is implied (RFC 4217 allows PROT at once)
        epsvAll = false;
        restartOffset = 0;
        renameFrom = null;
        mlstFacts = EnumSet.allOf(MlsxFacts.Fact.class);
        hashAlgorithm = FileDigest.SHA_256;
        rangeStart = -1;
        rangeEnd = -1;
    }

    public UserAccount user() {
        return user;
    }

    public ControlChannel control() {
        return control;
    }

    public String clientAddress() {
        return control.remoteAddress().getHostAddress();
    }

    @Override
    public void run() {
        try {
            ListenerSettings settings = host.settings();
            loginDeadline = System.nanoTime() + settings.limits().loginTimeoutSeconds() * 1_000_000_000L;
            if (settings.tls().implicitSsl()) {
                startTls();
            }
            control.setIdleTimeout(idleTimeoutMillis());
            reply(220, "Wharf FTP server ready.");
            commandLoop();
        } catch (HandshakeFailed logged) {
            // said in startTls
        } catch (IOException e) {
            if (!closing) {
                LOG.log(Level.FINE, "session " + control.describe() + " ended: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "session " + control.describe() + " failed", e);
        } finally {
            end();
        }
    }

    private void commandLoop() throws IOException {
        while (!closing) {
            String line;
            try {
                line = control.readLine();
            } catch (LineReader.LineTooLongException e) {
                reply(500, "Command line too long (limit " + LineReader.MAX_LINE + " bytes).");
                continue;
            } catch (SocketTimeoutException idle) {
                if (transfer != null) {
                    continue; // a long transfer keeps the session alive
                }
                reply(421, "Idle timeout: closing the control connection.");
                return;
            }
            if (line == null) {
                return;
            }
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
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(control.describe() + " > " + (verb.equals("PASS") ? "PASS ****" : line));
        }
        CommandTable.Entry entry = CommandTable.get(verb);
        if (entry == null) {
            reply(502, "Command " + printable(verb) + " not implemented.");
            return;
        }
        if (!entry.duringTransfer()) {
            awaitTransfer();
        }
        if (entry.needsLogin() && user == null) {
            reply(530, "Please log in with USER and PASS first.");
            return;
        }
        if (entry.needsArgument() && argument.isBlank()) {
            reply(501, "Syntax error: " + verb + " needs an argument.");
            return;
        }
        try {
            entry.command().execute(this, argument);
        } catch (IllegalArgumentException e) {
            reply(501, "Syntax error in arguments: " + e.getMessage());
        } finally {
            if (!verb.equals("REST")) {
                restartOffset = 0; // REST applies to the very next command only (RFC 3659 section 5.3)
            }
            if (!verb.equals("RNFR")) {
                renameFrom = null;
            }
        }
    }

    private static String printable(String verb) {
        String shown = verb.length() > 16 ? verb.substring(0, 16) + "..." : verb;
        return shown.replaceAll("[^\\x20-\\x7E]", "?");
    }

    // ---- TLS and deadlines ----

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
        handshakeDeadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try {
            control.startTls(controlTls, timeoutMillis);
        } catch (IOException e) {
            LOG.info(() -> (host.settings().tls().implicitSsl() ? "TLS handshake" : "TLS handshake after AUTH")
                    + " with " + control.describe() + " failed: "
                    + (expired ? "not complete within " + timeoutMillis / 1000 + " s" : HandshakeFailures.describe(e)));
            throw new HandshakeFailed(e);
        } finally {
            handshakeDeadline = 0;
        }
    }

    /** The login is done (or undone by REIN, which starts its clock again). */
    void loginDeadline(boolean running) {
        loginDeadline = running
                ? System.nanoTime() + host.settings().limits().loginTimeoutSeconds() * 1_000_000_000L : 0;
    }

    /**
     * Called about once a second by the listener: ends a session whose handshake, login or command line is past
     * its deadline. Each is a total deadline, which a client that trickles a byte at a time cannot stretch, unlike
     * an idle timeout.
     */
    public void checkDeadlines(long now) {
        if (expired || closing) {
            return;
        }
        long handshake = handshakeDeadline;
        if (handshake != 0 && now - handshake > 0) {
            expire(null);
            return;
        }
        long login = loginDeadline;
        if (login != 0 && now - login > 0) {
            LOG.info(() -> "session " + control.describe() + " closed: no login within "
                    + host.settings().limits().loginTimeoutSeconds() + " s");
            expire("421 Login timeout: closing the control connection.\r\n");
            return;
        }
        long line = control.partialLineSince();
        int commandTimeout = host.settings().limits().commandTimeoutSeconds();
        if (line != 0 && now - line > commandTimeout * 1_000_000_000L) {
            LOG.info(() -> "session " + control.describe() + " closed: a command line was not complete within "
                    + commandTimeout + " s");
            expire("421 Command not complete within " + commandTimeout + " s: closing the control connection.\r\n");
        }
    }

    /**
     * Ends the session from the listener's timer: the reply (if any) is written and the connection closed on a
     * worker, since a client that does not read could block the write; closing the socket wakes the session.
     */
    private void expire(String reply) {
        expired = true;
        host.schedule(this::close, EXPIRE_REPLY_MILLIS); // in case the client does not read the reply
        host.runInBackground("wharf-expire " + control.describe(), () -> {
            if (reply != null) {
                try {
                    control.send(reply);
                } catch (IOException gone) {
                    // closing anyway
                }
            }
            close();
        });
    }

    // ---- replies ----

    /** Sends a one-line reply. */
    public void reply(int code, String text) throws IOException {
        control.send(code + " " + text.replace("\r", "").replace("\n", " ") + "\r\n");
    }

    /** Sends a multi-line reply: {@code code-first}, the lines (each indented by a space), {@code code last}. */
    void replyLines(int code, String first, Iterable<String> lines, String last) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append(code).append('-').append(first).append("\r\n");
        for (String l : lines) {
            b.append(' ').append(l).append("\r\n");
        }
        b.append(code).append(' ').append(last).append("\r\n");
        control.send(b.toString());
    }

    // ---- transfers ----

    boolean transferRunning() {
        return transfer != null;
    }

    Transfer currentTransfer() {
        return transfer;
    }

    void startTransfer(Transfer t) {
        transfer = t;
        host.runTransfer("wharf-transfer " + control.describe(), t);
    }

    /**
     * Sends a transfer's final reply, leaving the transfer state first: a client that sends its next command as
     * soon as it reads the reply must find the session idle. The control channel's lock is held throughout, so a
     * waiting ABOR cannot answer before this reply is out.
     */
    void finishTransfer(Transfer t, int code, String text) throws IOException {
        synchronized (control) {
            transferFinished(t);
            reply(code, text);
        }
    }

    /** Leaves the transfer state (once; also when no final reply could be sent). */
    synchronized void transferFinished(Transfer t) {
        if (transfer == t) {
            transfer = null;
            notifyAll();
        }
    }

    /** Blocks until the running transfer (if any) has sent its final reply. */
    synchronized void awaitTransfer() {
        while (transfer != null) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    PendingData takePendingData() {
        PendingData p = pendingData;
        pendingData = null;
        return p;
    }

    void replacePendingData(PendingData next) {
        closeQuietly(pendingData);
        pendingData = next;
    }

    /** The listener's TLS requirement, tightened by the user's (known from USER on). */
    TlsRequirement tlsRequirement() {
        TlsRequirement listener = host.settings().tls().required();
        UserAccount account = user != null ? user : pendingAccount;
        return account == null ? listener : listener.and(account.tlsRequired());
    }

    int dataTimeoutMillis() {
        return host.settings().data().timeoutSeconds() * 1000;
    }

    int idleTimeoutMillis() {
        int seconds = user != null && user.idleTimeoutSeconds() > 0
                ? user.idleTimeoutSeconds() : host.settings().limits().idleTimeoutSeconds();
        return seconds * 1000;
    }

    // ---- lifecycle ----

    /** Asks the session to end: the control connection is closed, which ends the command loop. */
    public void close() {
        closing = true;
        Transfer t = transfer;
        if (t != null) {
            t.abort();
        }
        control.close();
    }

    /** Ends the session after the running transfer (if any) completes or the grace period passes. */
    public void closeAfterTransfer(long graceMillis) {
        long deadline = System.currentTimeMillis() + graceMillis;
        synchronized (this) {
            while (transfer != null && System.currentTimeMillis() < deadline) {
                try {
                    wait(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        try {
            if (!closing) {
                reply(421, "Service closing: this listener is shutting down.");
            }
        } catch (IOException ignored) {
            // the client is gone already
        }
        close();
    }

    void quit() {
        closing = true;
    }

    /** REIN: back to the state right after connecting; TLS on the control connection stays. */
    void reinitialize() {
        awaitTransfer();
        closeQuietly(takePendingData());
        pendingUser = null;
        pendingAccount = null;
        if (user != null) {
            host.loggedOut(this);
        }
        user = null;
        fs = null;
        resetParameters();
        loginDeadline(true);
    }

    private void end() {
        closing = true;
        Transfer t = transfer;
        if (t != null) {
            t.abort();
        }
        closeQuietly(pendingData);
        control.close();
        host.sessionEnded(this);
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
