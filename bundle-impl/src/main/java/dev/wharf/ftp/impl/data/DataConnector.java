package dev.wharf.ftp.impl.data;

import dev.wharf.ftp.api.TlsSettings;
import dev.wharf.ftp.impl.settings.SessionReuse;
import dev.wharf.ftp.impl.tls.HandshakeFailures;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.logging.Logger;
import javax.net.ssl.SSLSession;

/**
 * Opens a prepared data connection and, when the session protects data, runs the TLS handshake and applies the
 * session-reuse policy.
 *
 * <p>Reuse is proved by identity: a data connection that resumed the control connection's TLS session has the
 * very same {@link SSLSession} object in BCJSSE (comparing session IDs would wrongly match on TLS 1.3, whose IDs
 * are all empty). BCJSSE cannot resume TLS 1.3 sessions at all, so on a TLS 1.3 control connection
 * {@code required} cannot be checked; there the data connection is accepted and the protection against a stolen
 * data connection is {@code data.ip.check} (documented in the README).
 */
public final class DataConnector {

    private static final Logger LOG = Logger.getLogger(DataConnector.class.getName());

    private DataConnector() {
    }

    /**
     * Turns a connected data socket into a data connection, running the TLS handshake first when needed.
     *
     * @param tls the data TLS settings, or null for a clear data connection
     * @param controlSession the control connection's TLS session, or null
     * @param sameContext whether control and data use one SSL context (only then can a session be resumed)
     * @param watchdog breaks the connection when it makes no progress for {@code timeoutMillis}
     */
    public static DataConnection secure(SocketChannel channel, TlsSettings tls, SSLSession controlSession,
            boolean sameContext, SessionReuse reuse, int timeoutMillis, StallWatchdog watchdog) throws IOException {
        DataConnection connection = new DataConnection(channel, timeoutMillis, watchdog);
        if (tls == null) {
            return connection;
        }
        try {
            checkReuse(connection.startTls(tls), controlSession, sameContext, reuse);
            return connection;
        } catch (DataTlsException e) {
            closeQuietly(connection);
            throw e;
        } catch (IOException e) {
            closeQuietly(connection);
            String why = connection.timedOut() ? "no TLS handshake within the data timeout"
                    : HandshakeFailures.describe(e);
            throw new DataTlsException("TLS handshake on the data connection failed: " + why, e);
        }
    }

    static void checkReuse(SSLSession data, SSLSession control, boolean sameContext, SessionReuse reuse)
            throws DataTlsException {
        if (reuse != SessionReuse.REQUIRED || control == null || !sameContext) {
            return;
        }
        if (!"TLSv1.2".equals(control.getProtocol())) {
            return; // TLS 1.3: not resumable with BCJSSE; data.ip.check is the guard (see class comment)
        }
        if (data != control) {
            LOG.warning("data connection refused: it did not resume the control connection's TLS session"
                    + " (tls.session.reuse=required)");
            throw new DataTlsException("TLS session of data connection not resumed");
        }
    }

    private static void closeQuietly(DataConnection connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
