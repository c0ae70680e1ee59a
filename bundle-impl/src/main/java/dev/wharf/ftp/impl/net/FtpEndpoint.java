package dev.wharf.ftp.impl.net;

import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.SslConfiguration;
import dev.wharf.ftp.api.TlsSettings;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import dev.wharf.ftp.impl.activity.Activities;
import dev.wharf.ftp.impl.auth.PasswordChecks;
import dev.wharf.ftp.impl.data.PassivePorts;
import dev.wharf.ftp.impl.data.StallWatchdog;
import dev.wharf.ftp.impl.data.UserShares;
import dev.wharf.ftp.impl.hooks.HookRunner;
import dev.wharf.ftp.impl.hooks.RegisteredHook;
import dev.wharf.ftp.impl.management.ListenerStatistics;
import dev.wharf.ftp.impl.protocol.CommandTable;
import dev.wharf.ftp.impl.protocol.ControlChannel;
import dev.wharf.ftp.impl.protocol.FtpSession;
import dev.wharf.ftp.impl.protocol.Offence;
import dev.wharf.ftp.impl.protocol.SessionHost;
import dev.wharf.ftp.impl.proxy.ProxyHeader;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One listening endpoint: an acceptor thread that admits connections (IP filter, connection limits, drain) and
 * starts a session worker for each. Plain Java; the OSGi listener component creates, starts and stops it, and
 * hands it changed settings that need no new socket ({@link #update}), which it and its sessions read as they go.
 */
public final class FtpEndpoint implements SessionHost {

    private static final Logger LOG = Logger.getLogger(FtpEndpoint.class.getName());
    private static final long REFUSAL_LOG_INTERVAL_MILLIS = 10_000;

    private volatile ListenerSettings settings;
    private final SslConfiguration ssl;
    private final SslConfiguration dataSsl;
    private final UserStore users;
    private volatile PassivePorts passivePorts;
    private final Set<FtpSession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final ServerRuntime runtime;
    private final CommandTable commands = CommandTable.standard();
    private final Supplier<List<RegisteredHook>> hookServices;
    private volatile HookRunner hooks;
    private final ListenerStatistics stats;
    /** The accept path through a load balancer, taken while proxy.protocol is set (which applies live). */
    private final ProxiedConnections proxied = new ProxiedConnections(this);
    /** Refused connections, logged at most once per kind and address every ten seconds. */
    final RefusalLog refusals = new RefusalLog(LOG, this::schedule, REFUSAL_LOG_INTERVAL_MILLIS);
    private final ListeningPort port;
    private volatile java.util.concurrent.ScheduledFuture<?> deadlines;
    /** Why the last connection was refused for want of TLS, logged once per reason; null when TLS works. */
    private volatile String tlsRefusal;

    /**
     * @param runtime the threads and registries shared by the server's listeners
     * @param ssl the listener's TLS configuration, or null for none
     * @param dataSsl an own TLS configuration for data connections, or null to inherit {@code ssl}
     */
    public FtpEndpoint(ServerRuntime runtime, ListenerSettings settings, SslConfiguration ssl,
            SslConfiguration dataSsl, UserStore users) {
        this(runtime, settings, ssl, dataSsl, users, List::of);
    }

    /**
     * @param hooks the hooks this listener asks (highest ranking first), read at each operation so that hooks
     *     registered or removed at run time count from the next one
     */
    public FtpEndpoint(ServerRuntime runtime, ListenerSettings settings, SslConfiguration ssl,
            SslConfiguration dataSsl, UserStore users, Supplier<List<RegisteredHook>> hooks) {
        this(runtime, settings, ssl, dataSsl, users, hooks, new ListenerStatistics(settings.name()));
    }

    /**
     * @param stats where the endpoint counts connections and failed handshakes (its owner keeps them across
     *     rebinds and counts the sessions' activities into them)
     */
    public FtpEndpoint(ServerRuntime runtime, ListenerSettings settings, SslConfiguration ssl,
            SslConfiguration dataSsl, UserStore users, Supplier<List<RegisteredHook>> hooks,
            ListenerStatistics stats) {
        this.runtime = runtime;
        this.settings = settings;
        this.ssl = ssl;
        this.dataSsl = dataSsl;
        this.users = users;
        this.stats = stats;
        this.hookServices = hooks;
        this.passivePorts = new PassivePorts(settings.data().passivePorts());
        this.hooks = hookRunner(settings);
        this.port = new ListeningPort(settings.name(), settings.host(), settings.port(), this::admit,
                this::accepting);
    }

    private HookRunner hookRunner(ListenerSettings s) {
        return new HookRunner(() -> hookServices.get().stream().filter(h -> h.servesListener(s.name())).toList(),
                task -> runtime.runInBackground("wharf-hook", task), s.hookTimeoutSeconds() * 1000L);
    }

    /**
     * Applies settings that need no new socket ({@link ListenerSettings#appliesLive}) to the running endpoint: new
     * connections and the running sessions read them from now on (a session keeps the tls.required it began with).
     * Turning drain on ends the sessions that have not logged in yet.
     */
    public void update(ListenerSettings next) {
        if (!settings.appliesLive(next)) {
            throw new IllegalArgumentException("listener '" + settings.name() + "' needs a new socket for " + next);
        }
        ListenerSettings before = settings;
        if (!before.data().passivePorts().equals(next.data().passivePorts())) {
            passivePorts = new PassivePorts(next.data().passivePorts());
        }
        if (before.hookTimeoutSeconds() != next.hookTimeoutSeconds()) {
            hooks = hookRunner(next);
        }
        settings = next;
        if (next.lifecycle().drain() && !before.lifecycle().drain()) {
            LOG.info(() -> "listener '" + next.name() + "' drains: new connections and logins are refused, "
                    + "logged-in sessions go on");
            for (FtpSession session : sessions) {
                if (session.user() == null) {
                    session.endFromOutside("421 This server is draining; connect again to reach another.\r\n");
                }
            }
        } else if (before.lifecycle().drain() && !next.lifecycle().drain()) {
            LOG.info(() -> "listener '" + next.name() + "' no longer drains: it accepts connections again");
        }
    }

    /** Whether the listener refuses new connections and logins while its sessions go on. */
    public boolean draining() {
        return settings.lifecycle().drain();
    }

    /** The open sessions. */
    public List<FtpSessionInfo> sessions() {
        return List.copyOf(sessions);
    }

    /**
     * Ends the session with this id (421, its transfer aborted); false when there is none here.
     *
     * @param reason completes "Session ended ...", e.g. {@code by an operator}
     */
    public boolean endSession(String id, String reason) {
        for (FtpSession session : sessions) {
            if (session.id().equals(id)) {
                end(session, reason);
                return true;
            }
        }
        return false;
    }

    /** Ends every session logged in as the user (421, transfers aborted); returns how many. */
    public int endSessionsOf(String user, String reason) {
        int ended = 0;
        for (FtpSession session : sessions) {
            if (user.equals(session.userName())) {
                end(session, reason);
                ended++;
            }
        }
        return ended;
    }

    private void end(FtpSession session, String reason) {
        LOG.info(() -> "listener '" + settings.name() + "': session " + session.id() + " ("
                + (session.userName() == null ? "not logged in" : "user '" + session.userName() + "'") + ", "
                + session.clientAddress() + ") ended: " + reason);
        session.endFromOutside("421 Session ended " + reason + ".\r\n");
    }

    /**
     * Binds and starts accepting; when the port cannot be bound (another program holds it), logs the reason and
     * keeps trying in the background every {@code retryMillis} until it succeeds or {@link #stop} is called.
     */
    public void startOrRetry(long retryMillis) {
        port.bindOrRetry(retryMillis);
    }

    /**
     * Like {@link #startOrRetry}, but binds only after {@code delayMillis}, in the background; {@link #stop}
     * within the delay cancels it.
     */
    public void startAfter(long delayMillis, long retryMillis) {
        port.bindAfter(delayMillis, retryMillis);
    }

    /** Binds the port and starts accepting. */
    public void start() throws IOException {
        port.bind();
    }

    /** The port is bound: from now on the listener counts as started, and its sessions' deadlines are checked. */
    private void accepting() {
        runtime.endpointStarted(this);
        deadlines = runtime.every(this::checkDeadlines, 1, java.util.concurrent.TimeUnit.SECONDS);
        LOG.info(() -> "listener '" + settings.name() + "' accepting on " + boundAddress()
                + (settings.tls().implicitSsl() ? " (implicit TLS)" : ssl != null ? " (explicit TLS available)"
                : " (no TLS)")
                + (settings.proxy().enabled() ? ", PROXY protocol " + settings.proxy().protocol().name()
                        .toLowerCase(java.util.Locale.ROOT) + " from " + settings.proxy().trusted() : "")
                + (Workers.virtual() ? ", virtual-thread sessions" : ", platform-thread sessions"));
    }

    /** The bound address, or null when not accepting (see {@link ListeningPort#boundAddress()}). */
    public InetSocketAddress boundAddress() {
        return port.boundAddress();
    }

    public int openSessions() {
        return sessions.size();
    }

    boolean stopped() {
        return port.closed();
    }

    /** Connections from a load balancer whose PROXY header has not been read yet. */
    int awaitingProxyHeader() {
        return proxied == null ? 0 : proxied.awaiting();
    }

    public boolean tlsAvailable() {
        return ssl != null && ssl.problem() == null;
    }

    /**
     * Why this listener does not serve clients right now: its port is not bound yet (or cannot be), or its TLS
     * configuration cannot be used; null while it serves.
     */
    public String problem() {
        String bind = port.bindFailure();
        if (bind != null) {
            return bind;
        }
        String tls = tlsProblem();
        if (tls != null) {
            return "listener '" + settings.name() + "' refuses connections: " + tls;
        }
        return boundAddress() == null && !port.closed()
                ? "listener '" + settings.name() + "' is not accepting yet" : null;
    }

    /** Why the TLS this listener is configured with cannot be used now, or null. */
    private String tlsProblem() {
        if (ssl != null && ssl.problem() != null) {
            return "its TLS configuration '" + ssl.name() + "' cannot be used: " + ssl.problem();
        }
        if (dataSsl != null && dataSsl.problem() != null) {
            return "the TLS configuration of its data connections '" + dataSsl.name() + "' cannot be used: "
                    + dataSsl.problem();
        }
        return null;
    }

    /**
     * Stops accepting, lets running transfers finish within the grace period, then closes every session.
     */
    public void stop(long graceMillis) {
        stopAccepting();
        endSessions(graceMillis);
    }

    /**
     * Closes the listening socket (so that the port can be bound again at once); the sessions go on, their
     * deadlines still checked, until {@link #endSessions}.
     */
    public void stopAccepting() {
        boolean wasBound = port.close();
        if (wasBound) {
            proxied.closeAwaiting();
        }
    }

    /**
     * After {@link #stopAccepting()}: lets running transfers finish within the grace period, then closes every
     * session (421), each on a thread of its own so that one slow client does not hold up the others.
     */
    public void endSessions(long graceMillis) {
        List<Thread> closers = new ArrayList<>();
        for (FtpSession session : sessions) {
            closers.add(Workers.start("wharf-close", () -> session.endAfterTransfer(graceMillis)));
        }
        for (Thread closer : closers) {
            try {
                closer.join(graceMillis + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        java.util.concurrent.ScheduledFuture<?> checks = deadlines;
        if (checks != null) {
            checks.cancel(false);
        }
        runtime.endpointStopped(this);
        refusals.close();
        LOG.info(() -> "listener '" + settings.name() + "' stopped");
    }

    /** The handshake, login and command-line deadlines of every session (see FtpSession#checkDeadlines). */
    private void checkDeadlines() {
        long now = System.nanoTime();
        for (FtpSession session : sessions) {
            session.checkDeadlines(now);
        }
    }

    private void admit(SocketChannel client) throws IOException {
        InetAddress address = ((InetSocketAddress) client.getRemoteAddress()).getAddress();
        if (settings.proxy().enabled()) {
            proxied.admit(client, address); // the client's address comes with the header, on the session thread
            return;
        }
        FtpSession session = openSession(client, address, null);
        if (session != null) {
            Workers.start("wharf-session " + address.getHostAddress(), session);
        }
    }

    /**
     * Admits a client by its address (drain, the defender's bans, IP filter, connection limits: refused with 421
     * before any TLS work) and creates its session.
     *
     * @param address the client's address: the connection's peer, or the one its PROXY header names
     * @param header the connection's PROXY header, or null for a direct connection
     * @return the session to run, or null when refused (replied and closed)
     */
    FtpSession openSession(SocketChannel client, InetAddress address, ProxyHeader header) throws IOException {
        ListenerSettings current = settings; // one reading for the whole admission
        if (current.lifecycle().drain()) {
            LOG.fine(() -> "connection from " + address.getHostAddress() + " refused: the listener drains");
            refuse(client, "421 This server is draining; connect again to reach another.\r\n");
            return null;
        }
        Defender defender = runtime.defender();
        if (defender != null && defender.refuses(address)) {
            // Not logged per connection: a banned client may hammer; its ban was logged once.
            refuse(client, "421 Access denied: too many failures from your address; try again later.\r\n");
            return null;
        }
        if (!current.ipFilter().accepts(address)) {
            refusals.refused(Level.INFO, "allow/deny", address, () -> "connection from " + address.getHostAddress()
                    + " refused by the allow/deny lists");
            refuse(client, "421 Access denied.\r\n");
            return null;
        }
        if (current.limits().maxConnections() > 0 && sessions.size() >= current.limits().maxConnections()) {
            refusals.refused(Level.WARNING, "max.connections", address, () -> "connection from "
                    + address.getHostAddress() + " refused: max.connections reached");
            refuse(client, "421 Too many connections; try again later.\r\n");
            return null;
        }
        int fromHere = perAddress.merge(address, 1, Integer::sum);
        if (current.limits().maxConnectionsPerIp() > 0 && fromHere > current.limits().maxConnectionsPerIp()) {
            releaseAddress(address);
            refusals.refused(Level.WARNING, "max.connections.per.ip", address, () -> "connection from "
                    + address.getHostAddress() + " refused: max.connections.per.ip reached");
            refuse(client, "421 Too many connections from your address; try again later.\r\n");
            return null;
        }
        // The TLS settings are taken once, here: a session never falls back to less TLS than its listener has.
        TlsSettings controlTls = ssl == null ? null : ssl.current();
        TlsSettings ownDataTls = dataSsl == null ? null : dataSsl.current();
        if ((ssl != null && controlTls == null) || (dataSsl != null && ownDataTls == null)) {
            releaseAddress(address);
            refuseForTls(client);
            return null;
        }
        if (tlsRefusal != null) {
            tlsRefusal = null;
            LOG.info(() -> "listener '" + settings.name() + "' accepts connections again: its TLS can be used");
        }
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        client.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        // Clients send ABOR as TCP urgent data (RFC 959 4.1.3); inline, its last byte stays part of the line.
        client.socket().setOOBInline(true);
        ControlChannel control = header == null ? new ControlChannel(client)
                : new ControlChannel(client, header.clientOr((InetSocketAddress) client.getRemoteAddress()),
                        header.destinationOr((InetSocketAddress) client.getLocalAddress()));
        FtpSession session = new FtpSession(this, control, controlTls, ownDataTls);
        sessions.add(session);
        stats.connectionAccepted();
        return session;
    }

    /**
     * Fails closed: the listener has a TLS configuration that cannot be used right now, so nobody is served (a
     * session without TLS could take a password in the clear). Logged once per reason, not per connection.
     */
    private void refuseForTls(SocketChannel client) {
        String why = tlsProblem();
        if (why == null) {
            why = "its TLS configuration cannot be used";
        }
        if (!why.equals(tlsRefusal)) {
            tlsRefusal = why;
            LOG.severe("listener '" + settings.name() + "' refuses connections until this is fixed: " + why);
        }
        refuse(client, "421 Service not available: TLS cannot be offered right now; try again later.\r\n");
    }

    /** Replies and closes; implicit-TLS clients cannot read a clear reply, so they just see the close. */
    void refuse(SocketChannel client, String reply) {
        stats.connectionRefused();
        try {
            if (!settings.tls().implicitSsl()) {
                client.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.US_ASCII)));
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(client);
    }

    /** Closes without a reply a connection that may not be answered (not a trusted balancer, a bad PROXY header). */
    void closeRefused(SocketChannel client) {
        stats.connectionRefused();
        closeQuietly(client);
    }

    // ---- SessionHost ----

    @Override
    public ListenerSettings settings() {
        return settings;
    }

    @Override
    public Optional<UserAccount> authenticate(InetAddress from, String user, char[] password)
            throws PasswordChecks.Busy {
        return runtime.passwordChecks().authenticate(users, from, user, password);
    }

    @Override
    public Optional<UserAccount> find(String user) {
        return users.find(user);
    }

    @Override
    public boolean disabled(String user) {
        return users.disabled(user);
    }

    @Override
    public String nextSessionId() {
        return runtime.nextSessionId();
    }

    @Override
    public Activities activities() {
        return runtime.activities();
    }

    @Override
    public HookRunner hooks() {
        return hooks;
    }

    @Override
    public PassivePorts passivePorts() {
        return passivePorts;
    }

    @Override
    public CommandTable commands() {
        return commands;
    }

    @Override
    public void runTransfer(String name, Runnable task) {
        runtime.runTransfer(name, task);
    }

    @Override
    public void runInBackground(String name, Runnable task) {
        runtime.runInBackground(name, task);
    }

    @Override
    public void schedule(Runnable task, long delayMillis) {
        runtime.schedule(task, delayMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public StallWatchdog dataWatchdog() {
        return runtime.dataWatchdog();
    }

    @Override
    public String admitLogin(FtpSession session, UserAccount account) {
        if (settings.lifecycle().drain()) {
            return "This server is draining; connect again to reach another.";
        }
        return runtime.logins().admit(session, account, session.clientAddress());
    }

    @Override
    public void tlsHandshakeFailed() {
        stats.handshakeFailed();
    }

    @Override
    public void loggedOut(FtpSession session) {
        runtime.logins().release(session);
    }

    @Override
    public UserShares userShares() {
        return runtime.userShares();
    }

    /** Scored against the session's address (the client's own, also behind a proxy), not the socket's. */
    @Override
    public void offence(FtpSession session, Offence offence) {
        Defender defender = runtime.defender();
        if (defender != null) {
            defender.score(session.remoteAddress().getAddress(), offence);
        }
    }

    @Override
    public void sessionEnded(FtpSession session) {
        if (sessions.remove(session)) {
            releaseAddress(session.control().remoteAddress());
        }
        runtime.logins().release(session);
    }

    private void releaseAddress(InetAddress address) {
        perAddress.merge(address, -1, (a, b) -> a + b <= 0 ? null : a + b);
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
