package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.TlsSettings;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.activity.Activities;
import dev.wharf.ftp.impl.data.PassivePorts;
import dev.wharf.ftp.impl.data.StallWatchdog;
import dev.wharf.ftp.impl.data.UserShares;
import dev.wharf.ftp.impl.hooks.HookRunner;
import dev.wharf.ftp.impl.hooks.RegisteredHook;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import dev.wharf.ftp.impl.settings.PortRanges;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSession;

/**
 * A session driven command by command without sockets: its control connection is in memory, and its listener
 * knows one user, "alice" (password "secret"), whose home is the folder given. For unit tests of command groups;
 * the engine tests run the same commands over real sockets.
 */
final class SessionHarness {

    private final StringBuilder sent = new StringBuilder();
    final FtpSession session;
    /** What the session reported; add a sink to see it. */
    final Activities activities = new Activities();
    /** The hooks the session asks (none unless a test adds some). */
    final List<RegisteredHook> hooks = new CopyOnWriteArrayList<>();

    SessionHarness(Path home, ListenerSettings settings) {
        UserAccount alice = UserAccount.builder("alice", home).writable(true).build();
        SessionHost host = new Host(settings, alice, activities,
                new HookRunner(() -> List.copyOf(hooks), Runnable::run, 0));
        this.session = new FtpSession(host, new MemoryControl(), null, null);
    }

    SessionHarness(Path home) {
        this(home, ListenerSettings.builder("test").tlsRequired(TlsRequirement.NONE).build());
    }

    /** Dispatches one command line and returns the replies it produced (CRLF-separated, without the last CRLF). */
    String send(String line) throws IOException {
        sent.setLength(0);
        session.dispatch(line);
        String text = sent.toString();
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text;
    }

    SessionHarness loggedIn() throws IOException {
        send("USER alice");
        String reply = send("PASS secret");
        if (!reply.startsWith("230")) {
            throw new IllegalStateException(reply);
        }
        return this;
    }

    private final class MemoryControl implements Control {
        @Override
        public String readLine() {
            return null;
        }

        @Override
        public long partialLineSince() {
            return 0;
        }

        @Override
        public void send(String reply) {
            sent.append(reply);
        }

        @Override
        public void startTls(TlsSettings settings, int handshakeTimeoutMillis) throws IOException {
            throw new IOException("no TLS in memory");
        }

        @Override
        public boolean secure() {
            return false;
        }

        @Override
        public SSLSession tlsSession() {
            return null;
        }

        @Override
        public X509Certificate peerCertificate() {
            return null;
        }

        @Override
        public void setIdleTimeout(int millis) {
            // nothing waits in memory
        }

        @Override
        public InetAddress remoteAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public int remotePort() {
            return 50000;
        }

        @Override
        public InetAddress localAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public String describe() {
            return "memory";
        }

        @Override
        public void close() {
            // nothing to close
        }
    }

    /** A listener that knows one user and runs nothing in the background. */
    private static final class Host implements SessionHost {
        private final ListenerSettings settings;
        private final UserAccount alice;
        private final CommandTable commands = CommandTable.standard();
        private final Activities activities;
        private final HookRunner hooks;
        private final AtomicInteger sessionIds = new AtomicInteger();
        private final UserShares shares = new UserShares();

        Host(ListenerSettings settings, UserAccount alice, Activities activities, HookRunner hooks) {
            this.settings = settings;
            this.alice = alice;
            this.activities = activities;
            this.hooks = hooks;
        }

        @Override
        public boolean disabled(String user) {
            return false;
        }

        @Override
        public String nextSessionId() {
            return "memory-" + sessionIds.incrementAndGet();
        }

        @Override
        public Activities activities() {
            return activities;
        }

        @Override
        public HookRunner hooks() {
            return hooks;
        }

        @Override
        public ListenerSettings settings() {
            return settings;
        }

        @Override
        public CommandTable commands() {
            return commands;
        }

        @Override
        public Optional<UserAccount> authenticate(java.net.InetAddress from, String user, char[] password) {
            return user.equals("alice") && new String(password).equals("secret") ? Optional.of(alice)
                    : Optional.empty();
        }

        @Override
        public Optional<UserAccount> find(String user) {
            return user.equals("alice") ? Optional.of(alice) : Optional.empty();
        }

        @Override
        public PassivePorts passivePorts() {
            return new PassivePorts(PortRanges.ANY);
        }

        @Override
        public void runTransfer(String name, Runnable task) {
            throw new UnsupportedOperationException("no transfers in memory");
        }

        @Override
        public void runInBackground(String name, Runnable task) {
            task.run();
        }

        @Override
        public void schedule(Runnable task, long delayMillis) {
            // nothing is scheduled in memory
        }

        @Override
        public StallWatchdog dataWatchdog() {
            return new StallWatchdog();
        }

        @Override
        public String admitLogin(FtpSession session, UserAccount account) {
            return null;
        }

        @Override
        public void loggedOut(FtpSession session) {
            // no registry in memory
        }

        @Override
        public UserShares userShares() {
            return shares;
        }

        @Override
        public void offence(FtpSession session, Offence offence) {
            // no defender in memory
        }

        @Override
        public void sessionEnded(FtpSession session) {
            // no registry in memory
        }
    }
}
