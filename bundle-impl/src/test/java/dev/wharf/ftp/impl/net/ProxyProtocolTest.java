package dev.wharf.ftp.impl.net;

import static dev.wharf.ftp.impl.proxy.HeaderBytes.at;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.impl.proxy.HeaderBytes;
import dev.wharf.ftp.impl.settings.AddressBlocks;
import dev.wharf.ftp.impl.settings.IpFilter;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import dev.wharf.ftp.impl.settings.PassiveAddresses;
import dev.wharf.ftp.impl.settings.ProxyPolicy;
import dev.wharf.ftp.impl.settings.ProxyProtocol;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.Rule;
import org.junit.Test;

/**
 * A listener behind a load balancer on 127.0.0.1 that speaks the PROXY protocol, over real sockets: the client the
 * header names (127.0.0.5) is the session's address for limits, filters, logs, STAT and the data connection check;
 * nothing but a trusted balancer with a valid header gets in.
 */
public class ProxyProtocolTest {

    private static final String CLIENT = "127.0.0.5";

    @Rule
    public final LogLines log = new LogLines();

    private static TestServer behindBalancer(ProxyProtocol version, Consumer<ListenerSettings.Builder> more) {
        return new TestServer(s -> {
            s.proxy(new ProxyPolicy(version, AddressBlocks.parse(BalancerSockets.BALANCER + "/32")));
            more.accept(s);
        });
    }

    /** A connection from the balancer that has sent the header for {@code client}; the greeting is still unread. */
    private static RawClient through(TestServer server, ProxyProtocol version, String client) throws Exception {
        RawClient c = new RawClient(BalancerSockets.BALANCER, server.port());
        c.sendBytes(BalancerSockets.header(version, at(client, 40000), at("127.0.0.1", server.port())));
        return c;
    }

    @Test
    public void theClientNamedByTheHeaderIsTheSessionsAddress() throws Throwable {
        TestServer server = behindBalancer(ProxyProtocol.V2, s -> { });
        server.during(() -> {
            FTPClient c = new FTPClient();
            c.setSocketFactory(new BalancerSockets(ProxyProtocol.V2, CLIENT));
            c.setDefaultTimeout(20_000);
            try {
                c.connect("127.0.0.1", server.port());
                assertFalse("a wrong password is refused", c.login("alice", "wrong"));
                log.await("login failed user='alice' address=" + CLIENT + ":");
                assertTrue(c.login("alice", TestServer.PASSWORD));
                c.setFileType(FTP.BINARY_FILE_TYPE);
                c.enterLocalPassiveMode(); // data connections also come through the balancer, with a header each
                byte[] data = Clients.randomBytes(3_000_000);
                assertTrue(c.storeFile("up.bin", new ByteArrayInputStream(data)));
                ByteArrayOutputStream back = new ByteArrayOutputStream();
                assertTrue(c.retrieveFile("up.bin", back));
                assertArrayEquals(data, back.toByteArray());
                assertEquals(211, c.sendCommand("STAT"));
                assertTrue(c.getReplyString(), c.getReplyString().contains("Connected from " + CLIENT));
            } finally {
                Clients.close(c);
            }
        });
    }

    @Test
    public void aForeignDataConnectionThroughTheBalancerIsRefusedAndTheClientStillServed() throws Throwable {
        TestServer server = behindBalancer(ProxyProtocol.V2, s -> { });
        server.during(() -> {
            server.write("f.bin", Clients.randomBytes(100_000));
            try (RawClient c = through(server, ProxyProtocol.V2, CLIENT)) {
                int port = retrOverEpsv(c, "f.bin");
                try (Socket thief = balancerConnection(port, "127.0.0.6")) {
                    assertEquals("the server drops the thief", -1, thief.getInputStream().read());
                }
                log.await("data connection from 127.0.0.6 (through 127.0.0.1) refused", "client is " + CLIENT);
                try (Socket data = balancerConnection(port, CLIENT)) {
                    c.expect("150");
                    assertArrayEquals(Clients.randomBytes(100_000), data.getInputStream().readAllBytes());
                }
                c.expect("226");
            }
        });
    }

    @Test
    public void dataStraightFromTheClientNeedsNoHeader() throws Throwable {
        TestServer server = behindBalancer(ProxyProtocol.V2, s -> { });
        server.during(() -> {
            server.write("f.bin", Clients.randomBytes(10_000));
            try (RawClient c = through(server, ProxyProtocol.V2, CLIENT)) {
                int port = retrOverEpsv(c, "f.bin");
                try (Socket other = directConnection(port, "127.0.0.6")) {
                    assertEquals(-1, other.getInputStream().read());
                }
                try (Socket data = directConnection(port, CLIENT)) {
                    c.expect("150");
                    assertArrayEquals(Clients.randomBytes(10_000), data.getInputStream().readAllBytes());
                }
                c.expect("226");
            }
        });
    }

    @Test
    public void aForgedHeaderFromAnUntrustedAddressIsClosedWithoutAWord() throws Throwable {
        TestServer server = behindBalancer(ProxyProtocol.V2, s -> { });
        server.during(() -> {
            try (RawClient forger = new RawClient("127.0.0.9", server.port())) {
                forger.sendBytes(HeaderBytes.v2(at("10.1.2.3", 1), at("127.0.0.1", server.port())));
                assertTrue(forger.closedWithoutReply());
            }
            log.await("WARNING", "connection from 127.0.0.9 closed: not a trusted load balancer");
            try (RawClient direct = new RawClient("127.0.0.9", server.port())) {
                assertTrue("no way around the balancer", direct.closedWithoutReply());
            }
            try (RawClient good = through(server, ProxyProtocol.V2, CLIENT)) {
                good.expect("220");
            }
        });
    }

    @Test
    public void onAnImplicitListenerTheHeaderComesBeforeTheHandshake() throws Throwable {
        TestServer server = behindBalancer(ProxyProtocol.V1, s -> s.implicitSsl(true));
        server.during(() -> {
            try (RawClient c = through(server, ProxyProtocol.V1, CLIENT)) {
                c.wrap(trustAll());
                c.expect("220");
                c.login("alice");
                c.send("STAT");
                String stat = c.replyText();
                assertTrue(stat, stat.contains("Connected from " + CLIENT));
                assertTrue(stat, stat.contains("Control connection: TLS"));
            }
        });
    }

    @Test
    public void limitsAndFiltersCountTheProxiedAddress() throws Throwable {
        TestServer server = behindBalancer(ProxyProtocol.V2, s -> s.maxConnectionsPerIp(1)
                .ipFilter(IpFilter.parse("", "127.0.0.7")));
        server.during(() -> {
            try (RawClient first = through(server, ProxyProtocol.V2, CLIENT)) {
                first.expect("220");
                try (RawClient second = through(server, ProxyProtocol.V2, CLIENT)) {
                    assertTrue(second.expect("421").contains("your address"));
                }
                try (RawClient other = through(server, ProxyProtocol.V2, "127.0.0.6")) {
                    other.expect("220");
                }
                try (RawClient denied = through(server, ProxyProtocol.V2, "127.0.0.7")) {
                    denied.expect("421 Access denied");
                }
                log.await("connection from 127.0.0.7 refused by the allow/deny lists");
                first.send("QUIT");
                first.expect("221");
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (true) { // the proxied address's slot is given back when its session ends
                try (RawClient again = through(server, ProxyProtocol.V2, CLIENT)) {
                    String reply = again.reply();
                    if (reply.startsWith("220") || System.nanoTime() > deadline) {
                        assertTrue(reply, reply.startsWith("220"));
                        break;
                    }
                }
                Thread.sleep(50);
            }
        });
    }

    @Test
    public void halfAHeaderIsClosedWithinTheHandshakeTimeout() throws Throwable {
        TestServer server = behindBalancer(ProxyProtocol.V2, s -> s.handshakeTimeoutSeconds(1));
        server.during(() -> {
            byte[] header = HeaderBytes.v2(at(CLIENT, 1), at("127.0.0.1", server.port()));
            long start = System.nanoTime();
            try (RawClient trickler = new RawClient(BalancerSockets.BALANCER, server.port())) {
                for (int i = 0; i < 10; i++) { // a byte every 300 ms: never idle for a second, never done
                    trickler.sendBytes(new byte[] {header[i]});
                    Thread.sleep(300);
                    if (System.nanoTime() - start > 1_000_000_000L) {
                        break;
                    }
                }
                assertTrue(trickler.closedWithoutReply());
            } catch (java.net.SocketException reset) {
                // closed while the last byte was sent: closed all the same
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue("closed after " + millis + " ms", millis < 3_000);
            log.await("WARNING", "no complete PROXY header within 1 s");
        });
    }

    @Test
    public void aLocalHeaderIsTheBalancersOwnConnection() throws Throwable {
        TestServer server = behindBalancer(ProxyProtocol.V2, s -> { });
        server.during(() -> {
            try (RawClient check = new RawClient(BalancerSockets.BALANCER, server.port())) {
                check.sendBytes(HeaderBytes.v2Local());
                check.expect("220");
                check.login("alice");
                check.send("STAT");
                String stat = check.replyText();
                assertTrue(stat, stat.contains("Connected from 127.0.0.1"));
            }
        });
    }

    @Test
    public void theWrongVersionIsRefusedAndNamed() throws Throwable {
        TestServer server = behindBalancer(ProxyProtocol.V2, s -> { });
        server.during(() -> {
            try (RawClient c = through(server, ProxyProtocol.V1, CLIENT)) {
                assertTrue(c.closedWithoutReply());
            }
            log.await("WARNING", "closed: a PROXY protocol v1 header where v2 is configured");
        });
    }

    @Test
    public void pasvAnnouncesWhereTheClientConnectedOrItsNetworksAddress() throws Throwable {
        TestServer server = behindBalancer(ProxyProtocol.V2, s -> s.passiveExternalAddress(
                PassiveAddresses.parse("127.0.0.0/29=127.0.0.4")));
        server.during(() -> {
            // 127.0.0.5 is in 127.0.0.0/29: its network's address
            try (RawClient c = through(server, ProxyProtocol.V2, CLIENT)) {
                c.expect("220");
                c.login("alice");
                c.send("PASV");
                assertTrue(c.expect("227").contains("(127,0,0,4,"));
            }
            // 127.0.0.20 is not: the address the client connected to, as the header says (the balancer's)
            try (RawClient c = new RawClient(BalancerSockets.BALANCER, server.port())) {
                c.sendBytes(HeaderBytes.v2(at("127.0.0.20", 1), at("127.0.0.3", 21)));
                c.expect("220");
                c.login("alice");
                c.send("PASV");
                assertTrue(c.expect("227").contains("(127,0,0,3,"));
            }
        });
    }

    /** The defender scores and bans the client the header names; the balancer and its other clients go on. */
    @Test
    public void aBanBehindTheBalancerIsTheClientsNotTheBalancers() throws Throwable {
        TestServer server = behindBalancer(ProxyProtocol.V2, s -> s.loginFailureDelayMillis(0).maxLoginFailures(10));
        server.during(() -> {
            Defender defender = new Defender(new DefenderSettings(10, 60_000, 60_000, 60_000, AddressBlocks.NONE,
                    1, 1, 2), null, server.runtime().activities(), System::currentTimeMillis);
            server.runtime().defender(defender);
            for (int connection = 0; connection < 2; connection++) {
                try (RawClient c = through(server, ProxyProtocol.V2, CLIENT)) {
                    c.expect("220");
                    for (int i = 0; i < 5; i++) {
                        c.send("USER alice");
                        c.expect("331");
                        c.send("PASS wrong");
                        c.expect("530");
                    }
                }
            }
            OperationsTest.await("a ban", () -> defender.bans().isEmpty() ? null : true);
            assertEquals(Set.of(InetAddress.getByName(CLIENT)), defender.bans().keySet());
            try (RawClient banned = through(server, ProxyProtocol.V2, CLIENT)) {
                assertTrue(banned.expect("421").contains("too many failures"));
            }
            try (RawClient other = through(server, ProxyProtocol.V2, "127.0.0.6")) {
                other.expect("220");
                other.login("alice");
            }
        });
    }

    /**
     * proxy.protocol and proxy.trusted apply to a running listener from its next connection, as drain does behind
     * a balancer; a session that was in already goes on.
     */
    @Test
    public void theProxyKeysApplyToTheRunningListener() throws Throwable {
        TestServer server = new TestServer();
        server.during(() -> {
            ListenerSettings direct = server.endpoint().settings();
            try (RawClient before = RawClient.loggedIn(server.port(), "alice")) {
                ListenerSettings proxied = direct.toBuilder().proxy(new ProxyPolicy(ProxyProtocol.V1,
                        AddressBlocks.parse(BalancerSockets.BALANCER + "/32"))).build();
                server.endpoint().update(proxied);
                try (RawClient straight = new RawClient("127.0.0.9", server.port())) {
                    assertTrue("only the balancer now", straight.closedWithoutReply());
                }
                try (RawClient c = through(server, ProxyProtocol.V1, CLIENT)) {
                    c.expect("220");
                    c.login("alice");
                    c.send("STAT");
                    String stat = c.replyText();
                    assertTrue(stat, stat.contains("Connected from " + CLIENT));
                }
                server.endpoint().update(proxied.toBuilder().drain(true).build());
                try (RawClient c = through(server, ProxyProtocol.V1, CLIENT)) {
                    assertTrue(c.expect("421").contains("draining"));
                }
                server.endpoint().update(proxied.toBuilder().proxy(new ProxyPolicy(ProxyProtocol.V1,
                        AddressBlocks.parse("127.0.0.2/32"))).build());
                try (RawClient c = through(server, ProxyProtocol.V1, CLIENT)) {
                    assertTrue("127.0.0.1 is no longer trusted", c.closedWithoutReply());
                }
                server.endpoint().update(direct);
                try (RawClient straight = new RawClient("127.0.0.9", server.port())) {
                    straight.expect("220");
                }
                before.send("NOOP"); // logged in before all of this, and never disturbed
                before.expect("200");
            }
        });
    }

    /** Greeting, login, binary, EPSV and RETR of the file: returns the passive port the server now waits on. */
    private static int retrOverEpsv(RawClient c, String file) throws Exception {
        c.expect("220");
        c.login("alice");
        c.send("TYPE I");
        c.expect("200");
        int port = c.epsv();
        c.send("RETR " + file);
        return port;
    }

    /** A data connection as the balancer forwards it: from 127.0.0.1, with a header naming the client. */
    private static Socket balancerConnection(int port, String client) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(BalancerSockets.BALANCER, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(15_000);
        s.getOutputStream().write(HeaderBytes.v2(at(client, s.getLocalPort()), at("127.0.0.1", port)));
        return s;
    }

    /** A data connection straight from a client's address, as when the data ports are open to clients. */
    private static Socket directConnection(int port, String from) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(15_000);
        return s;
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, new SecureRandom());
        return ctx;
    }
}
