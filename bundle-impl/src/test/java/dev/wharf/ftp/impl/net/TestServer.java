package dev.wharf.ftp.impl.net;

import dev.wharf.ftp.api.SslConfiguration;
import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.TlsSettings.ClientAuth;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import dev.wharf.ftp.impl.auth.PasswordHashing;
import dev.wharf.ftp.impl.hooks.RegisteredHook;
import dev.wharf.ftp.impl.management.ListenerStatistics;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import dev.wharf.ftp.impl.tls.ReloadingSslConfiguration;
import dev.wharf.ftp.impl.tls.TlsSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;

/**
 * A real Wharf endpoint on 127.0.0.1 with a free port, a self-signed TLS configuration and two users: "alice"
 * (read-write) and "bob" (read-only), for tests that talk to it over real sockets.
 */
public final class TestServer extends ExternalResource {

    public static final String PASSWORD = "s3cret-Pa55";
    private static final String HASH = PasswordHashing.hash(PASSWORD.toCharArray());

    private final TemporaryFolder temp = new TemporaryFolder();
    private final Consumer<ListenerSettings.Builder> customize;
    private ServerRuntime runtime;
    private ListenerSettings listenerSettings;
    private FtpEndpoint endpoint;
    private final ListenerStatistics stats = new ListenerStatistics("default");
    private Path aliceHome;
    private Path bobHome;
    private Path tlsDir;
    private SslConfiguration ssl;
    private SslConfiguration dataSsl;
    private java.util.function.Function<Path, TlsSpec> tlsSpec = dir -> selfSigned("default", dir);
    private java.util.function.Function<Path, TlsSpec> dataTlsSpec;

    public TestServer() {
        this(s -> { });
    }

    /**
     * @param customize changes to the listener settings: a listener on 127.0.0.1, a free port, the keys'
     *     defaults except that plain FTP is allowed ({@code tls.required = none}) and the connection limits are
     *     off, as most engine tests talk plain FTP
     */
    public TestServer(Consumer<ListenerSettings.Builder> customize) {
        this.customize = customize;
    }

    /** The settings a test server starts from, before a test's own changes. */
    public static ListenerSettings.Builder testDefaults() {
        return ListenerSettings.builder("default").host("127.0.0.1").port(0).tlsRequired(TlsRequirement.NONE)
                .maxConnections(0).maxConnectionsPerIp(0);
    }

    @Override
    protected void before() throws Throwable {
        temp.create();
        aliceHome = temp.newFolder("alice").toPath();
        bobHome = temp.newFolder("bob").toPath();
        tlsDir = temp.newFolder("tls").toPath();
        putUser(UserAccount.builder("alice", aliceHome).writable(true).build());
        putUser(UserAccount.builder("bob", bobHome).build());
        ssl = ReloadingSslConfiguration.create(tlsSpec.apply(tlsDir));
        dataSsl = dataTlsSpec == null ? null : ReloadingSslConfiguration.create(dataTlsSpec.apply(tlsDir));
        ListenerSettings.Builder settings = testDefaults();
        customize.accept(settings);
        listenerSettings = settings.build();
        startServer();
    }

    private void startServer() throws IOException {
        runtime = new ServerRuntime();
        runtime.activities().add(stats, ListenerStatistics.TOPICS);
        endpoint = new FtpEndpoint(runtime, listenerSettings, ssl, dataSsl, users, () -> List.copyOf(hooks), stats);
        endpoint.start();
    }

    /**
     * Stops the listener and the runtime and starts new ones over the same homes and users, as a restart of the
     * server would (the port changes).
     */
    public void restart() throws IOException {
        endpoint.stop(2000);
        runtime.close();
        startServer();
    }

    /** A test body that may throw anything. */
    @FunctionalInterface
    public interface Body {
        void run() throws Throwable;
    }

    /** Starts this server, runs the body against it, and stops it, for tests that need differently set-up servers. */
    public void during(Body body) throws Throwable {
        apply(new org.junit.runners.model.Statement() {
            @Override
            public void evaluate() throws Throwable {
                body.run();
            }
        }, org.junit.runner.Description.EMPTY).evaluate();
    }

    /** Uses this TLS configuration instead of a self-signed one (call before the rule starts). */
    public TestServer tls(java.util.function.Function<Path, TlsSpec> spec) {
        this.tlsSpec = spec;
        return this;
    }

    /** Gives data connections their own TLS configuration (data.ssl.target). */
    public TestServer dataTls(java.util.function.Function<Path, TlsSpec> spec) {
        this.dataTlsSpec = spec;
        return this;
    }

    static TlsSpec selfSigned(String name, Path dir) {
        return new TlsSpec(name, null, null, null, null, null, null, null, null, null, null, ClientAuth.NONE,
                List.of("TLSv1.3", "TLSv1.2"), List.of(), true, dir);
    }

    /** The test users; tests may replace an account (e.g. to require TLS or a client certificate). */
    private final java.util.Map<String, UserAccount> accounts = new java.util.concurrent.ConcurrentHashMap<>();

    private final UserStore users = new UserStore() {
        @Override
        public Optional<UserAccount> authenticate(String user, char[] password) {
            return PasswordHashing.verify(HASH, password) ? find(user) : Optional.empty();
        }

        @Override
        public Optional<UserAccount> find(String user) {
            return Optional.ofNullable(accounts.get(user));
        }
    };

    /** The hooks the listener asks, highest ranking first; tests add and remove them while it runs. */
    public final List<RegisteredHook> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The server's shared threads and registries: tests subscribe to its activities. */
    public ServerRuntime runtime() {
        return runtime;
    }

    /** Adds or replaces a test user. */
    public void putUser(UserAccount account) {
        accounts.put(account.name(), account);
    }

    @Override
    protected void after() {
        if (endpoint != null) {
            endpoint.stop(2000);
        }
        if (runtime != null) {
            runtime.close();
        }
        temp.delete();
    }

    public int port() {
        return endpoint.boundAddress().getPort();
    }

    /** The listener's counters, as its component keeps them for JMX. */
    public ListenerStatistics stats() {
        return stats;
    }

    public FtpEndpoint endpoint() {
        return endpoint;
    }

    public Path aliceHome() {
        return aliceHome;
    }

    public Path bobHome() {
        return bobHome;
    }

    public Path newFolder(String name) throws IOException {
        return temp.newFolder(name).toPath();
    }

    public Path write(String relative, byte[] content) throws IOException {
        Path p = aliceHome.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.write(p, content);
    }
}
