package dev.wharf.ftp.impl.data;

import dev.wharf.ftp.api.TlsSettings;
import dev.wharf.ftp.impl.tls.BatchingSocket;
import dev.wharf.ftp.impl.tls.TlsSockets;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * An open data connection: a blocking socket channel, possibly with TLS layered over it. Plain transfers use the
 * channel (zero-copy); TLS transfers use the SSL socket's streams, over a {@link BatchingSocket} so that a
 * block's records leave two per system call. {@link #close()} ends TLS with close_notify, which GnuTLS and
 * OpenSSL clients need to see a clean end of data. The stall watchdog watches the connection from the start, so
 * it also breaks a TLS handshake that never finishes.
 */
public final class DataConnection implements Closeable {

    private final SocketChannel channel;
    private final StallWatchdog watchdog;
    private SSLSocket tls;
    private InputStream in;
    private OutputStream out;
    private final long timeoutNanos;
    private volatile long lastProgress;
    private final AtomicLong transferred = new AtomicLong();
    private volatile boolean timedOut;
    private volatile String tlsProtocol;
    private volatile String tlsCipher;

    DataConnection(SocketChannel channel, int timeoutMillis, StallWatchdog watchdog) throws IOException {
        this.channel = channel;
        this.watchdog = watchdog;
        channel.socket().setSoTimeout(timeoutMillis); // stream reads time out by themselves; the rest is watched
        this.in = channel.socket().getInputStream();
        this.out = channel.socket().getOutputStream();
        this.timeoutNanos = timeoutMillis * 1_000_000L;
        this.lastProgress = System.nanoTime();
        watchdog.watch(this);
    }

    /** Runs the server side of a TLS handshake over the connection; from then on its streams are TLS. */
    SSLSession startTls(TlsSettings settings) throws IOException {
        // The records already leave in batches smaller than loopback's (and a jumbo frame's) segment size; with
        // Nagle's algorithm each batch would wait for the client to acknowledge the one before it.
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        BatchingSocket batching = new BatchingSocket(channel);
        tls = TlsSockets.serverSide(settings, batching, new byte[0]);
        tls.startHandshake();
        in = tls.getInputStream();
        out = new BatchedRecordsOutput(tls.getOutputStream(), batching);
        SSLSession session = tls.getSession();
        tlsProtocol = session.getProtocol();
        tlsCipher = session.getCipherSuite();
        return session;
    }

    /** Called after each line of a listing moved: the connection is alive. */
    public void progressed() {
        lastProgress = System.nanoTime();
    }

    /** Called after each block of a file moved: the connection is alive, and {@code bytes} more went over it. */
    public void progressed(long bytes) {
        transferred.addAndGet(bytes); // read by other threads: the end-of-transfer report, the session view
        lastProgress = System.nanoTime();
    }

    /** The bytes moved so far, as the transfer counts them (file bytes; network bytes for TYPE A uploads). */
    public long transferred() {
        return transferred.get();
    }

    /** The TLS protocol of a protected connection, or null. */
    public String tlsProtocol() {
        return tlsProtocol;
    }

    /** The TLS cipher suite of a protected connection, or null. */
    public String tlsCipher() {
        return tlsCipher;
    }

    boolean stalledSince(long now) {
        return now - lastProgress > timeoutNanos;
    }

    void timeOut() {
        timedOut = true;
        abort();
    }

    /** Whether the watchdog broke this connection for making no progress. */
    public boolean timedOut() {
        return timedOut;
    }

    @Override
    public String toString() {
        return channel.socket().getRemoteSocketAddress() + (tls != null ? " (TLS)" : "");
    }

    public boolean isTls() {
        return tls != null;
    }

    /** The channel, for zero-copy plain transfers; do not use it when {@link #isTls()}. */
    public SocketChannel channel() {
        return channel;
    }

    public InputStream input() {
        return in;
    }

    public OutputStream output() {
        return out;
    }

    /**
     * Breaks the connection at once, from another thread (ABOR): a reset instead of a graceful close, and a
     * shutdown first, because only that wakes a thread blocked in {@code sendfile} on a full socket.
     */
    public void abort() {
        watchdog.forget(this);
        try {
            channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            channel.shutdownOutput();
        } catch (IOException ignored) {
            // already broken
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Writes to TLS with the socket's flushes held, so that the records of one write leave in pairs. */
    private static final class BatchedRecordsOutput extends OutputStream {
        private final OutputStream tls;
        private final BatchingSocket socket;

        BatchedRecordsOutput(OutputStream tls, BatchingSocket socket) {
            this.tls = tls;
            this.socket = socket;
        }

        @Override
        public void write(int b) throws IOException {
            tls.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            socket.holdFlushes(true);
            try {
                tls.write(b, off, len);
            } finally {
                socket.holdFlushes(false);
            }
            socket.getOutputStream().flush();
        }

        @Override
        public void flush() throws IOException {
            tls.flush();
        }

        @Override
        public void close() throws IOException {
            tls.close();
        }
    }

    @Override
    public void close() throws IOException {
        watchdog.forget(this);
        try {
            if (tls != null) {
                tls.close(); // sends close_notify, then closes the channel (autoClose)
            }
        } finally {
            channel.close();
        }
    }
}
