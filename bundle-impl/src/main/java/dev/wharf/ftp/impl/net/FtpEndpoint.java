package dev.wharf.ftp.impl.net;

import dev.wharf.ftp.api.SslConfiguration;
import dev.wharf.ftp.api.TlsSettings;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import dev.wharf.ftp.impl.data.PassivePorts;
import dev.wharf.ftp.impl.protocol.ControlChannel;
import dev.wharf.ftp.impl.protocol.FtpSession;
import dev.wharf.ftp.impl.protocol.ListenerSettings;
import dev.wharf.ftp.impl.protocol.SessionHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One listening endpoint: an acceptor thread that admits connections (IP filter, connection limits) and starts a
 * session worker for each. Plain Java; the OSGi listener component creates, starts and stops it.
 */
public final class FtpEndpoint implements SessionHost {

    private static final Logger LOG = Logger.getLogger(FtpEndpoint.class.getName());

    private final ListenerSettings settings;
    private final SslConfiguration ssl;
    private final SslConfiguration dataSsl;
    private final UserStore users;
    private final PassivePorts passivePorts;
    private final Set<FtpSession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    /** Logged-in sessions of every listener: a user's session limits count them all. */
    private static final Map<FtpSession, UserAccount> LOGGED_IN = new ConcurrentHashMap<>();
    private volatile ServerSocketChannel server;
    private volatile Thread acceptor;
    private volatile Thread retrier;
    private volatile boolean stopped;

    /**
     * @param ssl the listener's TLS configuration, or null for none
     * @param dataSsl an own TLS configuration for data connections, or null to inherit {@code ssl}
     */
    public FtpEndpoint(ListenerSettings settings, SslConfiguration ssl, SslConfiguration dataSsl,
            UserStore users) {
        this.settings = settings;
        this.ssl = ssl;
        this.dataSsl = dataSsl;
        this.users = users;
        this.passivePorts = new PassivePorts(settings.passivePorts());
    }

    /**
     * Binds and starts accepting; when the port cannot be bound (another program holds it), logs the reason and
     * keeps trying in the background every {@code retryMillis} until it succeeds or {@link #stop} is called.
     */
    public void startOrRetry(long retryMillis) {
        try {
            start();
        } catch (IOException e) {
            LOG.severe(e.getMessage() + "; retrying every " + retryMillis / 1000 + " s");
            bindInBackground(retryMillis, retryMillis, true);
        }
    }

    /**
     * Like {@link #startOrRetry}, but binds only after {@code delayMillis}, in the background; {@link #stop}
     * within the delay cancels it.
     */
    public void startAfter(long delayMillis, long retryMillis) {
        bindInBackground(delayMillis, retryMillis, false);
    }

    private void bindInBackground(long firstDelayMillis, long retryMillis, boolean failureLogged) {
        Thread retry = new Thread(() -> {
            long delay = firstDelayMillis;
            boolean failedBefore = failureLogged;
            while (!stopped) {
                try {
                    Thread.sleep(delay);
                    start();
                    return;
                } catch (IOException e) {
                    if (failedBefore) {
                        LOG.fine(e::getMessage);
                    } else {
                        LOG.severe(e.getMessage() + "; retrying every " + retryMillis / 1000 + " s");
                        failedBefore = true;
                    }
                    delay = retryMillis;
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }, "wharf-bind-" + settings.name());
        retry.setDaemon(true);
        retrier = retry;
        retry.start();
    }

    /** Binds the port and starts accepting. */
    public synchronized void start() throws IOException {
        if (stopped) {
            return;
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port()), 512);
        } catch (IOException e) {
            channel.close();
            throw new IOException("listener '" + settings.name() + "' cannot bind " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
        server = channel;
        Thread t = new Thread(this::acceptLoop, "wharf-acceptor-" + settings.name());
        t.setDaemon(true);
        acceptor = t;
        t.start();
        LOG.info(() -> "listener '" + settings.name() + "' accepting on " + boundAddress()
                + (settings.implicitSsl() ? " (implicit TLS)" : ssl != null ? " (explicit TLS available)" : " (no TLS)")
                + (Workers.virtual() ? ", virtual-thread sessions" : ", platform-thread sessions"));
    }

    /** The bound address, or null when not accepting. */
    public InetSocketAddress boundAddress() {
        ServerSocketChannel s = server;
        if (s == null || !s.isOpen()) {
            return null;
        }
        return (InetSocketAddress) s.socket().getLocalSocketAddress();
    }

    public int openSessions() {
        return sessions.size();
    }

    public boolean tlsAvailable() {
        return ssl != null;
    }

    /**
     * Stops accepting, lets running transfers finish within the grace period, then closes every session.
     */
    public void stop(long graceMillis) {
        stopped = true;
        Thread retry = retrier;
        if (retry != null) {
            retry.interrupt();
        }
        ServerSocketChannel s;
        synchronized (this) {
            s = server;
            server = null;
        }
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing listener socket", e);
        }
        Thread t = acceptor;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Thread> closers = new ArrayList<>();
        for (FtpSession session : sessions) {
            closers.add(Workers.start("wharf-close", () -> session.closeAfterTransfer(graceMillis)));
        }
        for (Thread closer : closers) {
            try {
                closer.join(graceMillis + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.info(() -> "listener '" + settings.name() + "' stopped");
    }

    private void acceptLoop() {
        ServerSocketChannel s = server;
        while (s != null && s.isOpen()) {
            SocketChannel client;
            try {
                client = s.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "listener '" + settings.name() + "': accept failed", e);
                pause();
                continue;
            }
            try {
                admit(client);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "listener '" + settings.name() + "': cannot start a session", e);
                closeQuietly(client);
            }
        }
    }

    private void admit(SocketChannel client) throws IOException {
        InetAddress address = ((InetSocketAddress) client.getRemoteAddress()).getAddress();
        if (!settings.ipFilter().accepts(address)) {
            LOG.info(() -> "connection from " + address.getHostAddress() + " refused by the allow/deny lists");
            refuse(client, "421 Access denied.\r\n");
            return;
        }
        if (settings.maxConnections() > 0 && sessions.size() >= settings.maxConnections()) {
            LOG.warning("connection from " + address.getHostAddress() + " refused: max.connections reached");
            refuse(client, "421 Too many connections; try again later.\r\n");
            return;
        }
        int fromHere = perAddress.merge(address, 1, Integer::sum);
        if (settings.maxConnectionsPerIp() > 0 && fromHere > settings.maxConnectionsPerIp()) {
            perAddress.merge(address, -1, Integer::sum);
            LOG.warning("connection from " + address.getHostAddress() + " refused: max.connections.per.ip reached");
            refuse(client, "421 Too many connections from your address; try again later.\r\n");
            return;
        }
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        client.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        // Clients send ABOR as TCP urgent data (RFC 959 4.1.3); inline, its last byte stays part of the line.
        client.socket().setOOBInline(true);
        FtpSession session = new FtpSession(this, new ControlChannel(client));
        sessions.add(session);
        Workers.start("wharf-session " + address.getHostAddress(), session);
    }

    /** Replies and closes; implicit-TLS clients cannot read a clear reply, so they just see the close. */
    private void refuse(SocketChannel client, String reply) {
        try {
            if (!settings.implicitSsl()) {
                client.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.US_ASCII)));
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(client);
    }

    // ---- SessionHost ----

    @Override
    public ListenerSettings settings() {
        return settings;
    }

    @Override
    public TlsSettings controlTls() {
        return ssl == null ? null : ssl.current();
    }

    @Override
    public TlsSettings ownDataTls() {
        return dataSsl == null ? null : dataSsl.current();
    }

    @Override
    public Optional<UserAccount> authenticate(String user, char[] password) {
        return users.authenticate(user, password);
    }

    @Override
    public Optional<UserAccount> find(String user) {
        return users.find(user);
    }

    @Override
    public PassivePorts passivePorts() {
        return passivePorts;
    }

    @Override
    public String admitLogin(FtpSession session, UserAccount account) {
        synchronized (LOGGED_IN) {
            return admit(session, account);
        }
    }

    private static String admit(FtpSession session, UserAccount account) {
        String address = session.clientAddress();
        int sameUser = 0;
        int sameUserHere = 0;
        for (Map.Entry<FtpSession, UserAccount> e : LOGGED_IN.entrySet()) {
            if (e.getValue().name().equals(account.name())) {
                sameUser++;
                if (e.getKey().clientAddress().equals(address)) {
                    sameUserHere++;
                }
            }
        }
        if (account.maxSessions() > 0 && sameUser >= account.maxSessions()) {
            return "Too many sessions for user " + account.name() + ".";
        }
        if (account.maxSessionsPerIp() > 0 && sameUserHere >= account.maxSessionsPerIp()) {
            return "Too many sessions for user " + account.name() + " from your address.";
        }
        LOGGED_IN.put(session, account);
        return null;
    }

    @Override
    public void loggedOut(FtpSession session) {
        LOGGED_IN.remove(session);
    }

    @Override
    public void sessionEnded(FtpSession session) {
        if (sessions.remove(session)) {
            try {
                perAddress.merge(InetAddress.getByName(session.clientAddress()), -1,
                        (a, b) -> a + b <= 0 ? null : a + b);
            } catch (IOException ignored) {
                // a literal address always parses
            }
        }
        LOGGED_IN.remove(session);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
