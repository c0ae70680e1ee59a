package dev.wharf.ftp.impl.tls;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.wharf.ftp.api.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * {@link BatchingSocket} gives {@link Socket} no {@code SocketImpl}, so any {@code Socket} method it does not
 * declare acts on a fresh socket of the JDK's behind it instead of the data connection. These tests hold it to
 * every method of the running JDK's {@code Socket} (the build runs them on Java 17 and, in the
 * {@code virtual-threads} profile, on Java 25), check each call on a real connected pair, and run BCJSSE over it.
 */
public class BatchingSocketTest {

    /** A whole TLS record as BCJSSE writes it: 16 KiB of plaintext plus header and AEAD overhead. */
    private static final int RECORD = 16 * 1024 + 5 + 16;

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    /** A read that waits for bytes never sent fails the test instead of hanging the build. */
    @Rule
    public final Timeout timeout = Timeout.builder().withTimeout(60, TimeUnit.SECONDS)
            .withLookingForStuckThread(true).build();

    private ServerSocketChannel server;
    private SocketChannel channel;
    private SocketChannel peer;
    private BatchingSocket socket;

    @Before
    public void connectPair() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        channel = SocketChannel.open(server.getLocalAddress());
        peer = server.accept();
        socket = new BatchingSocket(channel);
    }

    @After
    public void closePair() throws IOException {
        for (java.io.Closeable c : new java.io.Closeable[] {socket, channel, peer, server}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** Every public or protected instance method of {@code java.net.Socket} in the JDK running the test. */
    private static List<Method> socketMethods() {
        return Arrays.stream(Socket.class.getDeclaredMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic())
                .filter(m -> Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers()))
                .sorted(Comparator.comparing(Method::toString))
                .toList();
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    @Test
    public void declaresEverySocketMethodOfTheRunningJdk() {
        List<Method> methods = socketMethods();
        assertTrue("Socket has " + methods.size() + " methods?", methods.size() >= 40); // 44 on Java 17 and 25
        List<String> missing = new ArrayList<>();
        for (Method m : methods) {
            if (Modifier.isFinal(m.getModifiers())) {
                missing.add(signature(m) + " (final in Socket: cannot be overridden at all)");
                continue;
            }
            try {
                Method own = BatchingSocket.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
                assertFalse(own + " is abstract", Modifier.isAbstract(own.getModifiers()));
            } catch (NoSuchMethodException e) {
                missing.add(signature(m));
            }
        }
        assertEquals("Socket methods of Java " + Runtime.version() + " that BatchingSocket leaves to Socket, which "
                + "would act on a socket of its own instead of the channel's: delegate each to the channel's "
                + "socket or refuse it", List.of(), missing);
    }

    /**
     * Calls every {@code Socket} method through reflection, so that a method of a newer JDK is exercised too: each
     * returns or is refused with a {@code SocketException} or {@code UnsupportedOperationException} that says why,
     * and none opens a socket of its own (which is what {@code Socket} does when its methods meet the missing
     * {@code SocketImpl}).
     */
    @Test
    public void everySocketMethodReturnsOrIsRefusedWithoutASocketOfItsOwn() throws Exception {
        Assume.assumeTrue("counts sockets in /proc/self/fd", Files.isDirectory(Path.of("/proc/self/fd")));
        Set<String> before = openSockets();
        List<Method> methods = new ArrayList<>(socketMethods());
        // the ones that end the connection last
        List<String> last = List.of("shutdownInput", "shutdownOutput", "close");
        methods.sort(Comparator.comparingInt((Method m) -> last.indexOf(m.getName())));
        List<String> wrong = new ArrayList<>();
        for (Method m : methods) {
            Object[] args = Arrays.stream(m.getParameterTypes()).map(this::sample).toArray();
            try {
                m.invoke(socket, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                boolean refused = cause instanceof SocketException || cause instanceof UnsupportedOperationException;
                if (!refused || cause.getMessage() == null || cause.getMessage().isBlank()) {
                    wrong.add(signature(m) + " threw " + cause);
                }
            }
            Set<String> now = openSockets();
            now.removeAll(before);
            if (!now.isEmpty()) {
                wrong.add(signature(m) + " opened a socket of its own: " + now);
                before.addAll(now);
            }
        }
        assertEquals("on Java " + Runtime.version(), List.of(), wrong);
        assertTrue(socket.isClosed());
        assertFalse(channel.isOpen());
    }

    private Object sample(Class<?> type) {
        if (type == boolean.class) {
            return true;
        } else if (type == int.class) {
            return 1;
        } else if (type == SocketAddress.class) {
            try {
                return server.getLocalAddress();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        } else if (type == SocketOption.class) {
            return StandardSocketOptions.SO_KEEPALIVE;
        } else if (type == Object.class) {
            return Boolean.TRUE; // the value for SO_KEEPALIVE
        }
        throw new AssertionError("no sample argument of type " + type + ": add one");
    }

    /** The inodes of this process's open sockets (Linux). */
    private static Set<String> openSockets() throws IOException {
        Set<String> sockets = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:")) {
                        sockets.add(target);
                    }
                } catch (IOException gone) {
                    // closed meanwhile (e.g. the listing's own descriptor)
                }
            }
        }
        return sockets;
    }

    @Test
    public void optionsReachTheChannelsSocket() throws IOException {
        socket.setSoTimeout(1234);
        assertEquals(1234, socket.getSoTimeout());
        assertEquals(1234, channel.socket().getSoTimeout());

        for (boolean on : new boolean[] {true, false}) {
            socket.setTcpNoDelay(on);
            assertEquals(on, channel.getOption(StandardSocketOptions.TCP_NODELAY));
            assertEquals(on, socket.getTcpNoDelay());
            socket.setKeepAlive(on);
            assertEquals(on, channel.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertEquals(on, socket.getKeepAlive());
            socket.setReuseAddress(on);
            assertEquals(on, channel.getOption(StandardSocketOptions.SO_REUSEADDR));
            assertEquals(on, socket.getReuseAddress());
        }

        socket.setSoLinger(true, 7);
        assertEquals(7, (int) channel.getOption(StandardSocketOptions.SO_LINGER));
        assertEquals(7, socket.getSoLinger());
        socket.setSoLinger(false, 0);
        assertEquals(-1, (int) channel.getOption(StandardSocketOptions.SO_LINGER));
        assertEquals(-1, socket.getSoLinger());

        socket.setTrafficClass(0x20);
        assertEquals(0x20, (int) channel.getOption(StandardSocketOptions.IP_TOS));
        assertEquals(0x20, socket.getTrafficClass());

        // The kernel rounds buffer sizes (Linux doubles them): two different sizes must arrive as two different
        // sizes, and the getters must report what the channel reports.
        socket.setSendBufferSize(32 * 1024);
        int small = channel.getOption(StandardSocketOptions.SO_SNDBUF);
        assertEquals(small, socket.getSendBufferSize());
        socket.setSendBufferSize(256 * 1024);
        int large = channel.getOption(StandardSocketOptions.SO_SNDBUF);
        assertTrue(small + " then " + large, large > small);
        assertEquals(large, socket.getSendBufferSize());

        socket.setReceiveBufferSize(32 * 1024);
        small = channel.getOption(StandardSocketOptions.SO_RCVBUF);
        assertEquals(small, socket.getReceiveBufferSize());
        socket.setReceiveBufferSize(256 * 1024);
        large = channel.getOption(StandardSocketOptions.SO_RCVBUF);
        assertTrue(small + " then " + large, large > small);
        assertEquals(large, socket.getReceiveBufferSize());

        socket.setPerformancePreferences(0, 1, 2); // a no-op in the JDK's sockets; must not fail
        assertFalse(socket.getOOBInline());
        socket.setOOBInline(false);
    }

    @Test
    public void theOptionApiReachesTheChannelsSocket() throws IOException {
        assertEquals(channel.supportedOptions(), socket.supportedOptions());
        assertTrue(socket.supportedOptions().contains(StandardSocketOptions.SO_SNDBUF));

        assertSame(socket, socket.setOption(StandardSocketOptions.SO_SNDBUF, 32 * 1024));
        int small = channel.getOption(StandardSocketOptions.SO_SNDBUF);
        assertEquals(small, (int) socket.getOption(StandardSocketOptions.SO_SNDBUF));
        socket.setOption(StandardSocketOptions.SO_SNDBUF, 256 * 1024);
        int large = channel.getOption(StandardSocketOptions.SO_SNDBUF);
        assertTrue(small + " then " + large, large > small);
        assertEquals(large, (int) socket.getOption(StandardSocketOptions.SO_SNDBUF));

        for (boolean on : new boolean[] {true, false}) {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, on);
            assertEquals(on, channel.getOption(StandardSocketOptions.TCP_NODELAY));
            assertEquals(on, socket.getOption(StandardSocketOptions.TCP_NODELAY));
        }
        socket.setOption(StandardSocketOptions.SO_LINGER, 3);
        assertEquals(3, (int) channel.getOption(StandardSocketOptions.SO_LINGER));
        assertEquals(3, socket.getSoLinger());

        assertThrows(UnsupportedOperationException.class,
                () -> socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true));
        assertThrows(NullPointerException.class, () -> socket.getOption(null));
    }

    @Test
    public void addressesAndStateAreTheChannels() throws IOException {
        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
        assertEquals(local, socket.getLocalSocketAddress());
        assertEquals(remote, socket.getRemoteSocketAddress());
        assertEquals(local.getAddress(), socket.getLocalAddress());
        assertEquals(local.getPort(), socket.getLocalPort());
        assertEquals(remote.getAddress(), socket.getInetAddress());
        assertEquals(remote.getPort(), socket.getPort());
        assertEquals(peer.getLocalAddress(), socket.getRemoteSocketAddress());
        assertTrue(socket.isBound());
        assertTrue(socket.isConnected());
        assertFalse(socket.isClosed());
        assertFalse(socket.isInputShutdown());
        assertFalse(socket.isOutputShutdown());
        assertNull("writing to the channel would bypass TLS", socket.getChannel());
        assertTrue(socket.toString(), socket.toString().contains(String.valueOf(local.getPort())));
        assertNotNull(socket.getInputStream());
        assertNotNull(socket.getOutputStream());
    }

    @Test
    public void whatWouldBypassTlsOrCannotApplyIsRefusedAndSendsNothing() throws IOException {
        SocketAddress elsewhere = server.getLocalAddress();
        assertRefused("Already connected", () -> socket.connect(elsewhere));
        assertRefused("Already connected", () -> socket.connect(elsewhere, 1000));
        assertRefused("Already bound", () -> socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)));
        assertRefused("Urgent data", () -> socket.sendUrgentData(1));
        assertRefused("SO_OOBINLINE", () -> socket.setOOBInline(true));
        // the channel's socket lists the JDK's own SO_OOBINLINE option, which reaches it through setOption
        for (SocketOption<?> option : socket.supportedOptions()) {
            if (option.name().equals("SO_OOBINLINE")) {
                @SuppressWarnings("unchecked")
                SocketOption<Boolean> oobInline = (SocketOption<Boolean>) option;
                assertRefused("SO_OOBINLINE", () -> socket.setOption(oobInline, true));
                socket.setOption(oobInline, false);
                assertEquals(false, socket.getOption(oobInline));
            }
        }
        assertFalse(socket.getOOBInline());

        server.configureBlocking(false);
        assertNull("connect opened no second connection", server.accept());
        peer.configureBlocking(false);
        assertEquals("nothing reached the peer", 0, peer.read(ByteBuffer.allocate(16)));
        assertTrue(socket.isConnected());
    }

    private interface Call {
        void run() throws IOException;
    }

    private static void assertRefused(String message, Call call) {
        SocketException e = assertThrows(SocketException.class, call::run);
        assertTrue(e.getMessage(), e.getMessage().startsWith(message));
    }

    @Test
    public void onlyAConnectedBlockingChannelIsTaken() throws IOException {
        try (SocketChannel unconnected = SocketChannel.open()) {
            assertThrows(SocketException.class, () -> new BatchingSocket(unconnected));
        }
        channel.configureBlocking(false);
        assertThrows(IllegalBlockingModeException.class, () -> new BatchingSocket(channel));
    }

    @Test
    public void shutdownOutputSendsHeldBytesThenTheEnd() throws IOException {
        socket.holdFlushes(true);
        socket.getOutputStream().write(new byte[] {1, 2, 3});
        socket.getOutputStream().flush();
        socket.shutdownOutput();
        assertTrue(socket.isOutputShutdown());
        assertTrue(channel.socket().isOutputShutdown());
        assertArrayEquals(new byte[] {1, 2, 3}, readToEnd(peer));
        OutputStream out = socket.getOutputStream();
        socket.holdFlushes(false);
        assertThrows(IOException.class, () -> {
            out.write(4);
            out.flush();
        });
    }

    @Test
    public void shutdownInputEndsTheInputStream() throws IOException {
        socket.shutdownInput();
        assertTrue(socket.isInputShutdown());
        assertTrue(channel.socket().isInputShutdown());
        assertEquals(-1, socket.getInputStream().read());
        assertFalse(socket.isOutputShutdown());
        socket.getOutputStream().write(5);
        socket.getOutputStream().flush();
        assertArrayEquals(new byte[] {5}, read(peer, 1));
    }

    @Test
    public void closeClosesTheChannel() throws IOException {
        socket.close();
        assertTrue(socket.isClosed());
        assertFalse(channel.isOpen());
        assertArrayEquals(new byte[0], readToEnd(peer));
        assertThrows(IOException.class, () -> socket.getOption(StandardSocketOptions.SO_SNDBUF));
        assertThrows(IOException.class, () -> socket.setSoTimeout(1));
        assertThrows(IOException.class, () -> socket.getInputStream().read());
        socket.close(); // again: nothing
    }

    @Test
    public void closingEitherStreamClosesTheSocket() throws IOException {
        socket.getInputStream().close();
        assertTrue(socket.isClosed());
        assertFalse(channel.isOpen());

        closePair();
        connectPair();
        socket.holdFlushes(true);
        socket.getOutputStream().write(new byte[] {9, 8});
        socket.getOutputStream().close(); // sends what it held first
        assertTrue(socket.isClosed());
        assertArrayEquals(new byte[] {9, 8}, readToEnd(peer));
    }

    /**
     * What the benchmark measures: with flushes held, BCJSSE's write-and-flush per record leaves records in pairs
     * (the second record's flush sends both), and the next flush after holding ends sends the rest.
     */
    @Test
    public void heldRecordsLeaveInPairs() throws IOException {
        peer.configureBlocking(false);
        byte[] record = new byte[RECORD];
        OutputStream out = socket.getOutputStream();
        socket.holdFlushes(true);
        out.write(record);
        out.flush();
        assertEquals("the first record is held", 0, peer.read(ByteBuffer.allocate(1)));
        out.write(record);
        out.flush();
        peer.configureBlocking(true);
        assertEquals(2 * RECORD, read(peer, 2 * RECORD).length);
        peer.configureBlocking(false);
        out.write(record);
        out.flush();
        assertEquals("the third record waits for a fourth", 0, peer.read(ByteBuffer.allocate(1)));
        socket.holdFlushes(false);
        out.flush();
        peer.configureBlocking(true);
        assertEquals(RECORD, read(peer, RECORD).length);

        out.write(7); // without holding, every flush sends
        out.flush();
        assertArrayEquals(new byte[] {7}, read(peer, 1));
    }

    @Test
    public void readsTakeWhatTheKernelHas() throws IOException {
        byte[] sent = new byte[200_000];
        new Random(1).nextBytes(sent);
        peer.write(ByteBuffer.wrap(sent));
        InputStream in = socket.getInputStream();
        byte[] got = new byte[sent.length];
        int n = 0;
        while (n < got.length) {
            int r = in.read(got, n, got.length - n);
            assertTrue(r > 0);
            n += r;
        }
        assertArrayEquals(sent, got);
        assertEquals(0, in.available());
        peer.shutdownOutput();
        assertEquals(-1, in.read());
    }

    /** BCJSSE (server, Wharf's TLS settings) over a batching socket, SunJSSE as the client, both ways, to the end. */
    @Test
    public void tls13HandshakeAndTransferOverBcjsse() throws Exception {
        tlsHandshakeAndTransfer("TLSv1.3");
    }

    @Test
    public void tls12HandshakeAndTransferOverBcjsse() throws Exception {
        tlsHandshakeAndTransfer("TLSv1.2");
    }

    private void tlsHandshakeAndTransfer(String protocol) throws Exception {
        TlsSettings settings = ReloadingSslConfiguration.create(new TlsSpec("default", null, null, null, null, null,
                null, null, null, null, null, TlsSettings.ClientAuth.NONE, List.of(protocol), List.of(), true,
                temp.getRoot().toPath())).current();
        assertNotNull(settings);
        byte[] download = new byte[3 * 1024 * 1024 + 123];
        byte[] upload = new byte[1024 * 1024 + 7];
        new Random(2).nextBytes(download);
        new Random(3).nextBytes(upload);

        ExecutorService serverThread = Executors.newSingleThreadExecutor();
        try {
            Future<byte[]> serverSide = serverThread.submit(() -> {
                SSLSocket tls = TlsSockets.serverSide(settings, socket, new byte[0]);
                assertTrue(tls.getClass().getName(), tls.getClass().getName().startsWith("org.bouncycastle.jsse"));
                tls.startHandshake();
                assertEquals(protocol, tls.getSession().getProtocol());
                // calls BCJSSE's socket passes on to the one under it
                tls.setTcpNoDelay(true);
                assertEquals(true, channel.getOption(StandardSocketOptions.TCP_NODELAY));
                tls.setSoTimeout(20_000);
                assertEquals(20_000, channel.socket().getSoTimeout());
                assertEquals(channel.getRemoteAddress(), tls.getRemoteSocketAddress());
                assertNull(tls.getChannel());
                // as DataConnection writes: flushes held for the records of one block
                OutputStream out = tls.getOutputStream();
                for (int off = 0; off < download.length; off += 64 * 1024) {
                    socket.holdFlushes(true);
                    try {
                        out.write(download, off, Math.min(64 * 1024, download.length - off));
                    } finally {
                        socket.holdFlushes(false);
                    }
                    socket.getOutputStream().flush();
                }
                byte[] got = tls.getInputStream().readNBytes(upload.length);
                tls.close(); // close_notify, then the channel (autoClose)
                return got;
            });

            // the client's end is the peer channel
            SSLContext client = SSLContext.getInstance("TLS", "SunJSSE");
            client.init(null, new TrustManager[] {new TrustAll()}, null);
            SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(peer.socket(), "127.0.0.1",
                    peer.socket().getPort(), true);
            tls.setUseClientMode(true);
            tls.setEnabledProtocols(new String[] {protocol});
            tls.setSoTimeout(20_000);
            tls.startHandshake();
            assertEquals(protocol, tls.getSession().getProtocol());
            byte[] got = tls.getInputStream().readNBytes(download.length);
            assertArrayEquals(download, got);
            tls.getOutputStream().write(upload);
            tls.getOutputStream().flush();
            assertEquals("close_notify ends the stream", -1, tls.getInputStream().read());
            assertArrayEquals(upload, serverSide.get(30, TimeUnit.SECONDS));
            tls.close();
        } finally {
            serverThread.shutdownNow();
        }
        assertTrue(socket.isClosed());
        assertFalse(channel.isOpen());
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static byte[] read(SocketChannel from, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (from.read(b) < 0) {
                fail("end of stream after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.array();
    }

    private static byte[] readToEnd(SocketChannel from) throws IOException {
        from.configureBlocking(true);
        return from.socket().getInputStream().readAllBytes();
    }
}
