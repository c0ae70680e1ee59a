package dev.wharf.ftp.impl.tls;

import java.io.EOFException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

/** Words for a failed TLS handshake in a log line; several of the JDK's I/O exceptions carry no message. */
public final class HandshakeFailures {

    private HandshakeFailures() {
    }

    /** The peer closed or reset the connection, or Wharf closed it (stall watchdog, shutdown). */
    public static boolean endedByTransport(Throwable failure) {
        return failure instanceof EOFException || failure instanceof SocketException
                || failure instanceof ClosedChannelException;
    }

    public static String describe(Throwable failure) {
        if (failure instanceof EOFException) {
            return "the client closed the connection during the handshake";
        }
        if (failure instanceof ClosedChannelException) {
            return "the connection was closed during the handshake";
        }
        String message = failure.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        return failure instanceof SocketException ? "connection error" : failure.getClass().getSimpleName();
    }
}
