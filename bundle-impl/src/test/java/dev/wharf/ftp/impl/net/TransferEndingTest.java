package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;

/**
 * How a transfer ends, seen by a client: the session has left its transfer state when the final reply arrives,
 * and a data connection is never left open when the transfer cannot even begin.
 */
public class TransferEndingTest {

    @Rule
    public final TestServer server = new TestServer();

    /**
     * A client that sends its next command the moment it reads the 226 must find the session idle: STAT with a
     * path then lists the directory (212) rather than giving the during-transfer status (211).
     */
    @Test
    public void theNextCommandAfterA226IsNotTakenForOneDuringTheTransfer() throws Exception {
        server.write("small.txt", "hello\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try (RawClient c = RawClient.loggedIn(server.port(), "alice")) {
            for (int i = 0; i < 200; i++) {
                int port = c.epsv();
                c.send("RETR small.txt");
                try (Socket data = new Socket("127.0.0.1", port)) {
                    data.getInputStream().readAllBytes();
                }
                c.expect("150");
                c.expect("226");
                c.send("STAT /");
                String status = c.reply();
                assertTrue("round " + i + ": " + status, status.startsWith("212"));
            }
        }
    }

    /**
     * The control connection goes away while the server is still connecting an active data connection, so the 150
     * reply cannot be sent once it is connected: that data connection is closed too (the client sees its end), not
     * left open. The client's listening socket has a full backlog at first, so the server's connection attempt
     * waits for a SYN retransmission, long after the session has ended.
     */
    @Test
    public void aDataConnectionIsClosedWhenItsTransferCannotBegin() throws Exception {
        server.write("file.bin", new byte[100_000]);
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> fillers = fillBacklog(listening);
            RawClient c = RawClient.loggedIn(server.port(), "alice");
            int port = listening.getLocalPort();
            c.send("PORT 127,0,0,1," + (port >> 8) + "," + (port & 0xFF));
            c.expect("200");
            c.send("RETR file.bin");
            Thread.sleep(200); // the server is now trying to connect
            c.close();
            Thread.sleep(300); // the session has ended
            for (Socket filler : fillers) {
                listening.accept().close();
                filler.close();
            }
            listening.setSoTimeout(10_000);
            try (Socket data = listening.accept()) {
                assertTrue("the server closed the data connection of the transfer that could not begin",
                        endsWithin(data, 5_000));
            }
        }
    }

    /** Connects to the socket until its accept queue is full, so that further connection attempts wait. */
    private static List<Socket> fillBacklog(ServerSocket listening) throws IOException {
        List<Socket> fillers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Socket s = new Socket();
            try {
                s.connect(listening.getLocalSocketAddress(), 300);
                fillers.add(s);
            } catch (SocketTimeoutException full) {
                s.close();
                return fillers;
            }
        }
        throw new AssertionError("the accept queue never filled");
    }

    /** Reads until the end of the stream; false when the server neither sends the end nor resets in time. */
    private static boolean endsWithin(Socket data, int millis) throws IOException {
        data.setSoTimeout(millis);
        InputStream in = data.getInputStream();
        byte[] b = new byte[64 * 1024];
        try {
            while (in.read(b) >= 0) {
                // drain what the transfer sent before it noticed
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
