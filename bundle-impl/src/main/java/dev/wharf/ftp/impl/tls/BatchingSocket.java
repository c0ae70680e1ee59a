package dev.wharf.ftp.impl.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * The socket a data connection's TLS runs over. BCJSSE writes and flushes every 16 KiB record on its own and
 * reads each record as a 5-byte header and then a body, so over a plain socket a 1 GiB transfer costs some
 * 65,000 write calls (or 130,000 reads). This socket moves its channel's bytes through direct buffers instead:
 * while {@link #holdFlushes} is on, the records of one large application write are kept and leave two at a time;
 * reads take whatever the kernel has, up to 64 KiB. The bytes are still copied once between the heap and native
 * memory, as the JDK's socket streams do.
 *
 * <p>Reads are channel reads and ignore SO_TIMEOUT: the owner must break stalled connections itself (data
 * connections have a watchdog). Every other socket call goes to the channel's own socket, or is refused where it
 * would get around TLS or the held records: {@link #getChannel()} is null, urgent data and inline urgent data
 * are refused, and so are {@code connect} and {@code bind} (the channel is connected when this is made).
 *
 * <p>This class declares <em>every</em> public method of {@link Socket}. The superclass is given no
 * {@link SocketImpl}, and a {@code Socket} method left to the superclass does not fail: it creates a fresh,
 * unconnected socket of its own behind this one and acts on that, so options silently miss the real connection,
 * a descriptor is held until garbage collection, and on Java 25 {@code connect} even opens a second connection.
 * {@code BatchingSocketTest} fails when a JDK adds a method this class does not declare.
 */
public final class BatchingSocket extends Socket {

    /** The largest TLS record: 16 KiB of plaintext, at most 256 bytes of overhead, a 5-byte header. */
    private static final int RECORD = 16 * 1024 + 256 + 5;
    /**
     * Held records leave once they reach 32 KiB, i.e. two full records per write call. Four per call saved a little
     * more server CPU on loopback but moved TCP receive work onto the client (it more often finds its socket busy
     * and processes the backlog itself), and curl, the bottleneck there, then ran 5-10% slower.
     */
    private static final int BATCH = 32 * 1024;
    /** Buffers start at one record and grow once a transfer shows it moves more. */
    private static final int FIRST_BUFFER = RECORD;
    private static final int WRITE_BUFFER = 2 * RECORD;
    private static final int READ_BUFFER = 64 * 1024;

    private final SocketChannel channel;
    private final Socket socket;
    private final BatchedOutput output = new BatchedOutput();
    private final BufferedInput input = new BufferedInput();

    /**
     * @param channel a connected channel in blocking mode; it stays in blocking mode (the streams' reads and
     *     writes block on it)
     * @throws SocketException if the channel is not connected
     * @throws IllegalBlockingModeException if the channel is in non-blocking mode
     */
    public BatchingSocket(SocketChannel channel) throws SocketException {
        super((SocketImpl) null);
        if (!channel.isConnected()) {
            throw new SocketException("BatchingSocket needs a connected channel: " + channel);
        }
        if (!channel.isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        this.channel = channel;
        this.socket = channel.socket();
    }

    /** While on, the output stream's {@code flush()} keeps the bytes; the next flush after it sends them all. */
    public void holdFlushes(boolean hold) {
        output.held = hold;
    }

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() {
        return output;
    }

    /** No channel: writing to it would bypass TLS. */
    @Override
    public SocketChannel getChannel() {
        return null;
    }

    private final class BatchedOutput extends OutputStream {
        private ByteBuffer buffer;
        private boolean held;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (buffer == null) {
                buffer = ByteBuffer.allocateDirect(FIRST_BUFFER);
            }
            while (len > 0) {
                if (!buffer.hasRemaining()) {
                    if (held && buffer.capacity() < WRITE_BUFFER) {
                        buffer = ByteBuffer.allocateDirect(WRITE_BUFFER).put(buffer.flip());
                    } else {
                        drain();
                    }
                }
                int n = Math.min(len, buffer.remaining());
                buffer.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            if (!held || buffer != null && buffer.position() >= BATCH) {
                drain();
            }
        }

        void drain() throws IOException {
            if (buffer == null || buffer.position() == 0) {
                return;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        @Override
        public void close() throws IOException {
            try {
                drain();
            } finally {
                BatchingSocket.this.close();
            }
        }
    }

    private final class BufferedInput extends InputStream {
        private ByteBuffer buffer;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (buffer == null) {
                buffer = ByteBuffer.allocateDirect(FIRST_BUFFER).flip();
            }
            if (!buffer.hasRemaining()) {
                if (buffer.limit() == buffer.capacity() && buffer.capacity() < READ_BUFFER) {
                    buffer = ByteBuffer.allocateDirect(READ_BUFFER); // the last read filled it: bulk data
                }
                buffer.clear();
                int n = channel.read(buffer);
                buffer.flip();
                if (n < 0) {
                    return -1;
                }
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return buffer == null ? 0 : buffer.remaining();
        }

        @Override
        public void close() throws IOException {
            BatchingSocket.this.close();
        }
    }

    // ---- refused: these would go around TLS or the held records, or cannot apply to a connected channel

    /** Refused: the channel is connected when this socket is made. */
    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        throw new SocketException("Already connected: a BatchingSocket is made over a connected channel");
    }

    /** Refused: the channel is connected when this socket is made. */
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        throw new SocketException("Already connected: a BatchingSocket is made over a connected channel");
    }

    /** Refused: the channel is bound (and connected) when this socket is made. */
    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        throw new SocketException("Already bound: a BatchingSocket is made over a connected channel");
    }

    /** Refused: the byte would leave outside TLS and ahead of any held records. */
    @Override
    public void sendUrgentData(int data) throws IOException {
        throw new SocketException("Urgent data is not supported: a BatchingSocket carries TLS records");
    }

    /** Refused when on: a peer's urgent byte would land inside the TLS record stream. Off is the default. */
    @Override
    public void setOOBInline(boolean on) throws SocketException {
        if (on) {
            throw new SocketException("SO_OOBINLINE is not supported: a BatchingSocket carries TLS records");
        }
        socket.setOOBInline(false);
    }

    // ---- everything else is the channel's socket

    @Override
    public boolean getOOBInline() throws SocketException {
        return socket.getOOBInline();
    }

    /** The channel's options, except that SO_OOBINLINE cannot be turned on (see {@link #setOOBInline}). */
    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        if (name != null && name.name().equals("SO_OOBINLINE") && Boolean.TRUE.equals(value)) {
            setOOBInline(true);
        }
        socket.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return socket.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return socket.supportedOptions();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public boolean isBound() {
        return socket.isBound();
    }

    @Override
    public boolean isInputShutdown() {
        return socket.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return socket.isOutputShutdown();
    }

    @Override
    public void shutdownInput() throws IOException {
        socket.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        output.drain();
        socket.shutdownOutput();
    }

    @Override
    public InetAddress getInetAddress() {
        return socket.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getPort() {
        return socket.getPort();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        socket.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return socket.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        socket.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return socket.getTcpNoDelay();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        socket.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return socket.getKeepAlive();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        socket.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return socket.getSoLinger();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        socket.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return socket.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        socket.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return socket.getReceiveBufferSize();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        socket.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return socket.getReuseAddress();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        socket.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return socket.getTrafficClass();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        socket.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public String toString() {
        return "batching " + socket;
    }
}
