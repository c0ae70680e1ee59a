package dev.wharf.ftp.impl.net;

import static dev.wharf.ftp.impl.proxy.HeaderBytes.at;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.impl.proxy.Fuzz;
import dev.wharf.ftp.impl.proxy.HeaderBytes;
import dev.wharf.ftp.impl.settings.AddressBlocks;
import dev.wharf.ftp.impl.settings.ProxyPolicy;
import dev.wharf.ftp.impl.settings.ProxyProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;

/**
 * Throws thousands of broken PROXY headers at a real listener, many at once: truncated, oversized, with flipped
 * bytes, a lying length, garbage, v2 with TLVs, LOCAL and UNKNOWN, and some that stop half-way and wait. Every
 * connection must end either in a greeting (the mutation left a valid header) or closed by the server within the
 * header deadline; a good client is served quickly all along; and afterwards nothing is left: no session, no
 * connection awaiting its header, no session thread.
 */
public class ProxyHeaderFuzzTest {

    private static final int CONNECTIONS = 600;
    private static final int HEADER_TIMEOUT_SECONDS = 2;

    @Rule
    public final LogLines log = new LogLines();

    @Test
    public void brokenV2HeadersNeverCrashOrHangTheListener() throws Throwable {
        fuzz(ProxyProtocol.V2);
    }

    @Test
    public void brokenV1HeadersNeverCrashOrHangTheListener() throws Throwable {
        fuzz(ProxyProtocol.V1);
    }

    private void fuzz(ProxyProtocol version) throws Throwable {
        TestServer server = new TestServer(s -> s.handshakeTimeoutSeconds(HEADER_TIMEOUT_SECONDS)
                .proxy(new ProxyPolicy(version, AddressBlocks.parse("127.0.0.1"))));
        server.during(() -> {
            int port = server.port();
            byte[][] seeds = seeds(version, port);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<String>> outcomes = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Random random = new Random(version.ordinal() * 100_000L + i);
                    byte[] input = i % 3 == 0 ? seeds[random.nextInt(seeds.length)]
                            : Fuzz.mutate(seeds[random.nextInt(seeds.length)], random);
                    boolean stall = i % 10 == 0; // send part of it, then nothing: the deadline must end it
                    byte[] sent = stall ? java.util.Arrays.copyOf(input, input.length / 2) : input;
                    outcomes.add(pool.submit(() -> oneConnection(port, sent)));
                    if (i == CONNECTIONS / 2) {
                        assertGoodClientServedQuickly(port, version);
                    }
                }
                int greeted = 0;
                for (Future<String> f : outcomes) {
                    String outcome = f.get(60, TimeUnit.SECONDS);
                    assertTrue(outcome, outcome.equals("greeted") || outcome.equals("closed"));
                    greeted += outcome.equals("greeted") ? 1 : 0;
                }
                assertTrue("valid headers among them were served: " + greeted, greeted > CONNECTIONS / 10);
            } finally {
                pool.shutdownNow();
            }
            assertGoodClientServedQuickly(port, version);
            awaitNothingLeft(server);
        });
        assertTrue("every refused connection is one log line, never a stack trace", log.lines().stream()
                .noneMatch(l -> l.contains("Exception") || l.contains("cannot start a session")));
    }

    private static byte[][] seeds(ProxyProtocol version, int port) {
        InetSocketAddress client = at("127.0.0.5", 40000);
        InetSocketAddress server = at("127.0.0.1", port);
        if (version == ProxyProtocol.V1) {
            return new byte[][] {HeaderBytes.v1(client, server), HeaderBytes.v1(at("2001:db8::5", 1), at("::1", 21)),
                "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII)};
        }
        return new byte[][] {HeaderBytes.v2(client, server),
            HeaderBytes.v2(client, server, HeaderBytes.tlv(0x01, "ftp".getBytes(StandardCharsets.US_ASCII)),
                    HeaderBytes.tlv(0x05, new byte[40])),
            HeaderBytes.withCrc32c(HeaderBytes.v2(at("2001:db8::5", 1), at("::1", 21))),
            HeaderBytes.v2Local(),
            HeaderBytes.v2(0x21, 0x00, new byte[0])};
    }

    /**
     * One connection from the balancer's address: sends the bytes, then reads until the greeting or the server's
     * close. A server that does neither within the deadline and a margin has hung.
     */
    private static String oneConnection(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout((HEADER_TIMEOUT_SECONDS + 8) * 1000);
            try {
                s.getOutputStream().write(bytes);
            } catch (IOException closedEarly) {
                return "closed"; // the server had refused the start already
            }
            InputStream in = s.getInputStream();
            StringBuilder got = new StringBuilder();
            try {
                int c;
                while ((c = in.read()) != -1) {
                    got.append((char) c);
                    if (got.indexOf("220 ") >= 0 && c == '\n') {
                        s.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                        return "greeted";
                    }
                }
                return "closed";
            } catch (SocketTimeoutException hung) {
                return "the server neither greeted nor closed after " + bytes.length + " bytes: " + got;
            } catch (IOException reset) {
                return "closed";
            }
        }
    }

    private static void assertGoodClientServedQuickly(int port, ProxyProtocol version) throws Exception {
        long start = System.nanoTime();
        try (RawClient c = new RawClient("127.0.0.1", port)) {
            c.sendBytes(BalancerSockets.header(version, at("127.0.0.5", 1), at("127.0.0.1", port)));
            c.expect("220");
            c.login("alice");
            c.send("STAT");
            assertTrue(c.replyText().contains("Connected from 127.0.0.5"));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("a good client waited " + millis + " ms among the broken ones", millis < 3_000);
    }

    private static void awaitNothingLeft(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((server.endpoint().openSessions() > 0 || server.endpoint().awaitingProxyHeader() > 0
                || sessionThreads() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("sessions left", 0, server.endpoint().openSessions());
        assertEquals("connections still awaiting a header", 0, server.endpoint().awaitingProxyHeader());
        assertEquals("session threads left (platform threads; virtual ones are counted by the sessions)", 0,
                sessionThreads());
    }

    private static long sessionThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("wharf-session")).count();
    }
}
