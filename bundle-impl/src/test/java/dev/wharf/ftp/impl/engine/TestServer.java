package dev.wharf.ftp.impl.engine;

import dev.wharf.ftp.api.SslConfiguration;
import dev.wharf.ftp.api.TlsSettings.ClientAuth;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.auth.PasswordHashing;
import dev.wharf.ftp.impl.net.FtpEndpoint;
import dev.wharf.ftp.impl.protocol.ListenerSettings;
import dev.wharf.ftp.impl.tls.ReloadingSslConfiguration;
import dev.wharf.ftp.impl.tls.TlsSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
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
    private final UnaryOperator<ListenerSettings> customize;
    private FtpEndpoint endpoint;
    private Path aliceHome;
    private Path bobHome;
    private Path tlsDir;
    private SslConfiguration ssl;

    public TestServer() {
        this(s -> s);
    }

    public TestServer(UnaryOperator<ListenerSettings> customize) {
        this.customize = customize;
    }

    @Override
    protected void before() throws Throwable {
        temp.create();
        aliceHome = temp.newFolder("alice").toPath();
        bobHome = temp.newFolder("bob").toPath();
        tlsDir = temp.newFolder("tls").toPath();
        ssl = ReloadingSslConfiguration.create(selfSigned("default", tlsDir));
        endpoint = new FtpEndpoint(customize.apply(ListenerSettings.defaults("127.0.0.1", 0)), ssl, null,
                this::authenticate);
        endpoint.start();
    }

    static TlsSpec selfSigned(String name, Path dir) {
        return new TlsSpec(name, null, null, null, null, null, null, null, null, null, null, ClientAuth.NONE,
                List.of("TLSv1.3", "TLSv1.2"), List.of(), true, dir);
    }

    private Optional<UserAccount> authenticate(String user, char[] password) {
        if (!PasswordHashing.verify(HASH, password)) {
            return Optional.empty();
        }
        return switch (user) {
            case "alice" -> Optional.of(UserAccount.builder("alice", aliceHome).writable(true).build());
            case "bob" -> Optional.of(UserAccount.builder("bob", bobHome).build());
            default -> Optional.empty();
        };
    }

    @Override
    protected void after() {
        if (endpoint != null) {
            endpoint.stop(2000);
        }
        temp.delete();
    }

    public int port() {
        return endpoint.boundAddress().getPort();
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
