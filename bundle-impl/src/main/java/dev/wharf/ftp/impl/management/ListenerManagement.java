package dev.wharf.ftp.impl.management;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.event.FtpEvents;
import java.net.InetSocketAddress;

/** {@link ListenerMXBean} over a listener and its counters. */
public final class ListenerManagement implements ListenerMXBean {

    private final FtpListener listener;
    private final ListenerStatistics stats;

    public ListenerManagement(FtpListener listener, ListenerStatistics stats) {
        this.listener = listener;
        this.stats = stats;
    }

    @Override
    public String getName() {
        return stats.listener();
    }

    @Override
    public int getPort() {
        InetSocketAddress bound = listener.boundAddress();
        return bound == null ? 0 : bound.getPort();
    }

    @Override
    public boolean isTlsAvailable() {
        return listener.tlsAvailable();
    }

    @Override
    public boolean isDraining() {
        return listener.draining();
    }

    @Override
    public String getProblem() {
        String problem = listener.problem();
        return problem == null ? "" : problem;
    }

    @Override
    public int getSessionsOpen() {
        return listener.openSessions();
    }

    @Override
    public long getConnectionsAccepted() {
        return stats.connectionsAccepted();
    }

    @Override
    public long getConnectionsRefused() {
        return stats.connectionsRefused();
    }

    @Override
    public long getLoginsSucceeded() {
        return stats.loginsSucceeded();
    }

    @Override
    public long getLoginsFailed() {
        return stats.loginsFailed();
    }

    @Override
    public long getLoginsFailedUnknownUser() {
        return stats.loginsFailed(FtpEvents.REASON_UNKNOWN_USER);
    }

    @Override
    public long getLoginsFailedWrongPassword() {
        return stats.loginsFailed(FtpEvents.REASON_WRONG_PASSWORD);
    }

    @Override
    public long getLoginsFailedDisabled() {
        return stats.loginsFailed(FtpEvents.REASON_DISABLED);
    }

    @Override
    public long getLoginsFailedTlsRequired() {
        return stats.loginsFailed(FtpEvents.REASON_TLS_REQUIRED);
    }

    @Override
    public long getLoginsFailedCertificate() {
        return stats.loginsFailed(FtpEvents.REASON_CERTIFICATE);
    }

    @Override
    public long getLoginsFailedLimits() {
        return stats.loginsFailed(FtpEvents.REASON_LIMITS);
    }

    @Override
    public long getLoginsFailedHome() {
        return stats.loginsFailed(FtpEvents.REASON_HOME);
    }

    @Override
    public long getLoginsFailedHook() {
        return stats.loginsFailed(FtpEvents.REASON_HOOK);
    }

    @Override
    public long getLoginsFailedAddress() {
        return stats.loginsFailed(FtpEvents.REASON_ADDRESS);
    }

    @Override
    public long getLoginsFailedBusy() {
        return stats.loginsFailed(FtpEvents.REASON_BUSY);
    }

    @Override
    public long getBytesIn() {
        return stats.bytesIn();
    }

    @Override
    public long getBytesOut() {
        return stats.bytesOut();
    }

    @Override
    public long getTransfersCompleted() {
        return stats.transfers(FtpEvents.RESULT_COMPLETED);
    }

    @Override
    public long getTransfersFailed() {
        return stats.transfers(FtpEvents.RESULT_FAILED);
    }

    @Override
    public long getTransfersAborted() {
        return stats.transfers(FtpEvents.RESULT_ABORTED);
    }

    @Override
    public long getTlsHandshakesFailed() {
        return stats.tlsHandshakesFailed();
    }

    @Override
    public String[] getSessions() {
        return listener.sessions().stream().map(ListenerManagement::describe).toArray(String[]::new);
    }

    /** One line about a session, as an operator reads it. */
    public static String describe(FtpSessionInfo s) {
        InetSocketAddress remote = s.remoteAddress();
        return s.id() + " " + (s.userName() == null ? "-" : s.userName()) + " "
                + remote.getAddress().getHostAddress() + ":" + remote.getPort() + " idle "
                + s.idleTime().toSeconds() + "s" + (s.transfer() == null ? "" : " " + s.transfer());
    }

    @Override
    public boolean kick(String sessionId) {
        return listener.endSession(sessionId);
    }

    @Override
    public int kickUser(String userName) {
        return listener.endSessionsOf(userName);
    }
}
