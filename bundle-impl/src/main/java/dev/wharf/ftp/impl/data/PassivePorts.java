package dev.wharf.ftp.impl.data;

import dev.wharf.ftp.impl.settings.PortRanges;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Binds passive-mode sockets: on any free port, or on the next free port of the configured ranges (tried round
 * robin, so ports held by other sessions or other programs are skipped).
 */
public final class PassivePorts {

    private final PortRanges ranges;
    private final AtomicInteger next = new AtomicInteger();

    public PassivePorts(PortRanges ranges) {
        this.ranges = ranges;
    }

    /** @throws IOException when no port of the range could be bound (all in use) */
    public ServerSocketChannel bind(InetAddress address) throws IOException {
        if (ranges.isAny()) {
            return open(address, 0);
        }
        int size = ranges.size();
        for (int attempt = 0; attempt < size; attempt++) {
            int port = ranges.get(Math.floorMod(next.getAndIncrement(), size));
            try {
                return open(address, port);
            } catch (BindException inUse) {
                // taken: try the next one
            }
        }
        throw new IOException("all " + size + " passive ports are in use");
    }

    private static ServerSocketChannel open(InetAddress address, int port) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(address, port), 1);
            return server;
        } catch (IOException e) {
            server.close();
            throw e;
        }
    }
}
