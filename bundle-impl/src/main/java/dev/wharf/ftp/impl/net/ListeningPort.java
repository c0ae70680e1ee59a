package dev.wharf.ftp.impl.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The listening socket of one listener: binds it (in the background, retrying, while another program holds the
 * port), runs the acceptor thread that hands every connection to the listener, and closes it for good. What
 * becomes of a connection is the listener's business; this class only owns the socket and its two threads.
 */
final class ListeningPort {

    /** Takes an accepted connection; it may refuse and close it. */
    interface Admission {
        void admit(SocketChannel client) throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(ListeningPort.class.getName());
    private static final int BACKLOG = 512;

    private final String listener;
    private final String host;
    private final int port;
    private final Admission admission;
    /** Runs once the port is bound, before the first connection is accepted. */
    private final Runnable onBound;

    private ServerSocketChannel server; // guarded by this
    /** See {@link #boundAddress()}. */
    private volatile InetSocketAddress bound;
    private volatile Thread acceptor;
    private volatile Thread retrier;
    private volatile boolean closed;
    /** Why the port could not be bound, while retrying; null once bound. */
    private volatile String bindFailure;

    ListeningPort(String listener, String host, int port, Admission admission, Runnable onBound) {
        this.listener = listener;
        this.host = host;
        this.port = port;
        this.admission = admission;
        this.onBound = onBound;
    }

    /** Binds and starts accepting; when that fails, logs why and keeps trying every {@code retryMillis}. */
    void bindOrRetry(long retryMillis) {
        try {
            bind();
        } catch (IOException e) {
            bindFailure = e.getMessage();
            LOG.severe(e.getMessage() + "; retrying every " + retryMillis / 1000 + " s");
            bindInBackground(retryMillis, retryMillis, true);
        }
    }

    /** Like {@link #bindOrRetry}, but first after {@code delayMillis}, in the background. */
    void bindAfter(long delayMillis, long retryMillis) {
        bindInBackground(delayMillis, retryMillis, false);
    }

    private void bindInBackground(long firstDelayMillis, long retryMillis, boolean failureLogged) {
        Thread retry = new Thread(() -> {
            long delay = firstDelayMillis;
            boolean failedBefore = failureLogged;
            while (!closed) {
                try {
                    Thread.sleep(delay);
                    bind();
                    return;
                } catch (IOException e) {
                    bindFailure = e.getMessage();
                    if (failedBefore) {
                        LOG.fine(e::getMessage);
                    } else {
                        LOG.severe(e.getMessage() + "; retrying every " + retryMillis / 1000 + " s");
                        failedBefore = true;
                    }
                    delay = retryMillis;
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }, "wharf-bind-" + listener);
        retry.setDaemon(true);
        retrier = retry;
        retry.start();
    }

    /** Binds the port and starts accepting; does nothing once closed. */
    synchronized void bind() throws IOException {
        if (closed) {
            return;
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(InetAddress.getByName(host), port), BACKLOG);
        } catch (IOException e) {
            channel.close();
            throw new IOException("listener '" + listener + "' cannot bind " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        server = channel;
        bound = (InetSocketAddress) channel.getLocalAddress();
        bindFailure = null;
        onBound.run();
        Thread t = new Thread(() -> acceptLoop(channel), "wharf-acceptor-" + listener);
        t.setDaemon(true);
        acceptor = t;
        t.start();
    }

    /**
     * The bound address, or null when not accepting. It stays set until the port is closed for good: closing the
     * channel while the acceptor waits in accept() only marks it closed, and the kernel keeps the port listening
     * (a connection can still be taken into its backlog) until that thread has left accept().
     */
    InetSocketAddress boundAddress() {
        return bound;
    }

    /** Why the port could not be bound, while still trying; null otherwise. */
    String bindFailure() {
        return bindFailure;
    }

    boolean closed() {
        return closed;
    }

    /**
     * Stops binding and accepting, and returns once the port is closed (so that it can be bound again at once).
     *
     * @return whether the port had been bound
     */
    boolean close() {
        closed = true;
        Thread retry = retrier;
        if (retry != null) {
            retry.interrupt();
        }
        ServerSocketChannel s;
        synchronized (this) {
            s = server;
            server = null;
        }
        if (s == null) {
            return false;
        }
        try {
            s.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing listener socket", e);
        }
        Thread t = acceptor;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        bound = null; // the acceptor has left accept(): the port is closed now
        return true;
    }

    private void acceptLoop(ServerSocketChannel channel) {
        while (channel.isOpen()) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException closedNow) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "listener '" + listener + "': accept failed", e);
                pause();
                continue;
            }
            try {
                admission.admit(client);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "listener '" + listener + "': cannot start a session", e);
                try {
                    client.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
