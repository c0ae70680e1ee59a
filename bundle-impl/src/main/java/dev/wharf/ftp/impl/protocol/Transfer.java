package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.impl.data.DataConnection;
import dev.wharf.ftp.impl.data.DataConnector;
import dev.wharf.ftp.impl.data.DataTlsException;
import dev.wharf.ftp.impl.data.PendingData;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One data transfer on its own worker: opens the data connection (TCP, then the 150 reply, then TLS when the
 * data is protected), runs the body, closes with close_notify, and sends the final reply. ABOR closes the
 * connection under the body, which then ends with 426.
 */
final class Transfer implements Runnable {

    private static final Logger LOG = Logger.getLogger(Transfer.class.getName());

    /** What moves the bytes once the connection is open. */
    interface Body {
        /** @return a short summary for the 226 reply */
        String run(DataConnection data) throws IOException;
    }

    /** A failure of the local file side (as opposed to the network): reported with 451. */
    static final class LocalFailure extends IOException {
        private static final long serialVersionUID = 1L;

        LocalFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final FtpSession session;
    private final PendingData pending;
    private final String opening;
    private final Body body;
    private final Runnable onFailure;
    private volatile DataConnection connection;
    private volatile boolean aborted;

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

    @Override
    public void run() {
        boolean done = false;
        try {
            SocketChannel channel;
            try {
                channel = pending.connect(session.dataTimeoutMillis());
            } catch (IOException e) {
                session.reply(425, "Cannot open data connection: " + e.getMessage());
                return;
            }
            session.reply(150, opening);
            DataConnection data;
            try {
                data = DataConnector.secure(channel, session.protectData ? session.dataTls : null,
                        session.control.tlsSession(), session.dataTls == session.controlTls,
                        session.host.settings().tlsSessionReuse(), session.dataTimeoutMillis(),
                        session.host.dataWatchdog());
            } catch (DataTlsException e) {
                session.reply(425, e.getMessage());
                return;
            }
            connection = data;
            if (aborted) {
                data.abort();
                session.reply(426, "Transfer aborted.");
                return;
            }
            String summary;
            try {
                summary = body.run(data);
                data.close();
            } catch (LocalFailure e) {
                FtpSession.closeQuietly(data);
                LOG.log(Level.WARNING, "transfer for " + session.clientAddress() + " failed: " + e.getMessage(), e);
                session.reply(451, "Local error: " + e.getMessage());
                return;
            } catch (IOException e) {
                data.abort();
                session.reply(426, aborted ? "Transfer aborted."
                        : data.timedOut() ? "Data connection timed out: no progress for "
                                + session.dataTimeoutMillis() / 1000 + " s; transfer aborted."
                        : "Data connection failed; transfer aborted: " + e.getMessage());
                return;
            }
            done = true;
            session.reply(226, summary);
        } catch (IOException controlGone) {
            LOG.log(Level.FINE, "control connection lost during a transfer", controlGone);
        } finally {
            FtpSession.closeQuietly(pending);
            if (!done && onFailure != null) {
                onFailure.run();
            }
        }
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
