package dev.wharf.ftp.impl.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSocket;

/**
 * An open data connection: a blocking socket channel, possibly with TLS layered over it. Plain transfers use the
 * channel (zero-copy); TLS transfers use the SSL socket's streams. {@link #close()} ends TLS with close_notify,
 * which GnuTLS and OpenSSL clients need to see a clean end of data.
 */
public final class DataConnection implements Closeable {

    private final SocketChannel channel;
    private final SSLSocket tls;
    private final InputStream in;
    private final OutputStream out;
    private final long timeoutNanos;
    private volatile long lastProgress;
    private volatile boolean timedOut;

    DataConnection(SocketChannel channel, SSLSocket tls, int timeoutMillis) throws IOException {
        this.channel = channel;
        this.tls = tls;
        Socket socket = tls != null ? tls : channel.socket();
        socket.setSoTimeout(timeoutMillis); // reads time out by themselves; writes are watched
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.timeoutNanos = timeoutMillis * 1_000_000L;
        this.lastProgress = System.nanoTime();
        StallWatchdog.watch(this);
    }

    /** Called after each block or line moved: the connection is alive. */
    public void progressed() {
        lastProgress = System.nanoTime();
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
        StallWatchdog.forget(this);
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

    @Override
    public void close() throws IOException {
        StallWatchdog.forget(this);
        try {
            if (tls != null) {
                tls.close(); // sends close_notify, then closes the channel (autoClose)
            }
        } finally {
            channel.close();
        }
    }
}
