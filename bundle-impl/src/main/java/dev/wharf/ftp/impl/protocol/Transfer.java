package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.FtpTransferInfo;
import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.api.hook.FileOperation;
import dev.wharf.ftp.impl.data.DataConnection;
import dev.wharf.ftp.impl.data.DataConnector;
import dev.wharf.ftp.impl.data.DataTlsException;
import dev.wharf.ftp.impl.data.PendingData;
import dev.wharf.ftp.impl.fs.StorageFailure;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One data transfer on its own worker: opens the data connection (TCP, then the 150 reply, then TLS when the
 * data is protected), runs the body, closes with close_notify, and sends the final reply. ABOR closes the
 * connection under the body, which then ends with 426. A failure of the file side (a full disk) is not a network
 * failure: it ends with 452, 552 or 451, never with the 426 that clients retry.
 */
final class Transfer implements Runnable {

    private static final Logger LOG = Logger.getLogger(Transfer.class.getName());

    /** A transfer the server refuses to complete (a hook denied the finished upload): ends with this reply. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        private final int code;

        Refused(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** What moves the bytes once the connection is open. */
    interface Body {
        /** @return a short summary for the 226 reply */
        String run(DataConnection data) throws IOException;
    }

    private final FtpSession session;
    private final PendingData pending;
    private final String opening;
    private final Body body;
    private final Runnable onFailure;
    private final java.time.Instant startedAt = java.time.Instant.now();
    private volatile DataConnection connection;
    private volatile boolean aborted;
    /** The file operation this transfer performs, reported at its end; null for listings. */
    private volatile FileAction action;

    /**
     * @param opening the text of the 150 reply
     * @param onFailure cleanup when the transfer does not complete (e.g. remove a partial upload); may be null
     */
    Transfer(FtpSession session, PendingData pending, String opening, Body body, Runnable onFailure) {
        this.session = session;
        this.pending = pending;
        this.opening = opening;
        this.body = body;
        this.onFailure = onFailure;
    }

    /** How a transfer ended: its final reply, and whether it completed. */
    private record Outcome(int code, String text, boolean completed) {
    }

    /** What an operator sees of this transfer now: its path, direction and bytes so far. */
    FtpTransferInfo info() {
        FileAction a = action;
        DataConnection data = connection;
        FtpTransferInfo.Direction direction = a == null ? FtpTransferInfo.Direction.LISTING
                : a.kind() == FileOperation.Kind.DOWNLOAD ? FtpTransferInfo.Direction.DOWNLOAD
                : FtpTransferInfo.Direction.UPLOAD;
        return new FtpTransferInfo(a == null ? session.cwd() : a.path(), direction, startedAt,
                data == null ? 0 : data.transferred(), java.time.Instant.now());
    }

    /** The file operation whose end this transfer reports (set before it starts). */
    void reportsOn(FileAction fileAction) {
        this.action = fileAction;
    }

    @Override
    public void run() {
        Outcome outcome = null;
        try {
            outcome = transfer();
        } catch (IOException controlGone) {
            LOG.log(Level.FINE, "control connection lost during a transfer", controlGone);
        }
        try {
            // Cleanup comes before the final reply: a client that reads it finds no partial file left.
            if ((outcome == null || !outcome.completed()) && onFailure != null) {
                onFailure.run();
            }
            if (outcome != null) {
                session.finishTransfer(this, outcome.code(), outcome.text());
            }
        } catch (IOException controlGone) {
            LOG.log(Level.FINE, "control connection lost at the end of a transfer", controlGone);
        } finally {
            session.transferFinished(this);
            report(outcome);
        }
    }

    /** Reports the file operation's end; a transfer whose session went away counts as aborted. */
    private void report(Outcome outcome) {
        if (action == null) {
            return;
        }
        String result = outcome == null || aborted && !outcome.completed() ? FtpEvents.RESULT_ABORTED
                : outcome.completed() ? FtpEvents.RESULT_COMPLETED : FtpEvents.RESULT_FAILED;
        DataConnection data = connection;
        long bytes = data == null ? 0 : data.transferred();
        int code = outcome == null ? 426 : outcome.code();
        String text = outcome == null ? "Control connection lost; transfer aborted." : outcome.text();
        session.host.activities().report(action.topic(result), () -> action.transferReport(result, code, text, bytes,
                data == null ? null : data.tlsProtocol(), data == null ? null : data.tlsCipher()).build());
    }

    /**
     * Opens the data connection, runs the body and returns the final reply to send.
     *
     * @throws IOException when the control connection is lost (no final reply can be sent)
     */
    private Outcome transfer() throws IOException {
        SocketChannel channel = null;
        try {
            try {
                channel = pending.connect(session.dataTimeoutMillis());
            } catch (IOException e) {
                return new Outcome(425, "Cannot open data connection: " + e.getMessage(), false);
            }
            session.reply(150, opening);
            DataConnection data;
            try {
                data = DataConnector.secure(channel, session.protection().protectsData() ? session.dataTls : null,
                        session.control.tlsSession(), session.dataTls == session.controlTls,
                        session.host.settings().tls().sessionReuse(), session.dataTimeoutMillis(),
                        session.host.dataWatchdog());
            } catch (DataTlsException e) {
                if (e.getCause() != null) { // a failed handshake, not a refused session reuse
                    session.host.tlsHandshakeFailed();
                }
                channel = null; // the connector closed it
                return new Outcome(425, e.getMessage(), false);
            }
            channel = null; // the data connection owns it now
            connection = data;
            if (aborted) {
                data.abort();
                return new Outcome(426, "Transfer aborted.", false);
            }
            try {
                String summary = body.run(data);
                data.close();
                return new Outcome(226, summary, true);
            } catch (Refused e) {
                FtpSession.closeQuietly(data); // every byte arrived: a clean end, then the refusal
                return new Outcome(e.code, e.getMessage(), false);
            } catch (StorageFailure e) {
                data.abort();
                return storageFailed(e);
            } catch (IOException e) {
                data.abort();
                return new Outcome(426, aborted ? "Transfer aborted."
                        : data.timedOut() ? "Data connection timed out: no progress for "
                                + session.dataTimeoutMillis() / 1000 + " s; transfer aborted."
                        : "Data connection failed; transfer aborted: " + e.getMessage(), false);
            }
        } finally {
            FtpSession.closeQuietly(channel);
            FtpSession.closeQuietly(pending);
        }
    }

    private Outcome storageFailed(StorageFailure e) {
        return switch (e.kind()) {
            case NO_SPACE -> {
                LOG.warning("transfer for " + session.clientAddress() + " failed: " + e.getMessage());
                yield new Outcome(452, "Insufficient storage space; transfer aborted, nothing was stored.", false);
            }
            case QUOTA -> new Outcome(552, "Storage quota exceeded; transfer aborted, nothing was stored.", false);
            default -> {
                LOG.log(Level.WARNING, "transfer for " + session.clientAddress() + " failed: " + e.getMessage(), e);
                yield new Outcome(451, "Local error: " + e.getMessage(), false);
            }
        };
    }

    /** Interrupts the transfer: the data connection is closed under it. */
    void abort() {
        aborted = true;
        DataConnection c = connection;
        if (c != null) {
            c.abort();
        }
        FtpSession.closeQuietly(pending);
    }
}
