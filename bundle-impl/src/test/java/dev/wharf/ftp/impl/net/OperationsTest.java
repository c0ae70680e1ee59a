package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.FtpTransferInfo;
import dev.wharf.ftp.impl.settings.IpFilter;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.Rule;
import org.junit.Test;

/**
 * What an operator does to a running listener, over real sockets: sees its sessions with their transfers, ends one
 * (421, the transfer aborted, no partial file), ends a user's, changes settings that need no new socket while
 * sessions go on, and drains it.
 */
public class OperationsTest {

    private static final String KICKED = "by a test";

    @Rule
    public final TestServer server = new TestServer(s -> s.loginFailureDelayMillis(0));

    /** A logged-in FTPS session downloading a file shows its user, TLS and the transfer's path, bytes and rate. */
    @Test
    public void theSessionViewShowsUserTlsAndTheRunningTransfer() throws Exception {
        server.write("big.bin", new byte[64 * 1024 * 1024]);
        FTPSClient c = Clients.tls(server, false, "alice");
        try (InputStream in = c.retrieveFileStream("big.bin")) {
            assertNotNull(c.getReplyString(), in);
            in.readNBytes(1024 * 1024);
            FtpSessionInfo s = single(server.endpoint().sessions());
            FtpTransferInfo t = await("a transfer in the session view", () -> {
                FtpTransferInfo now = s.transfer();
                return now != null && now.bytes() > 0 ? now : null;
            });
            assertEquals("alice", s.userName());
            assertTrue(s.tlsProtocol(), s.tlsProtocol().startsWith("TLSv1."));
            assertNotNull(s.tlsCipher());
            assertEquals("127.0.0.1", s.remoteAddress().getAddress().getHostAddress());
            assertEquals(FtpTransferInfo.Direction.DOWNLOAD, t.direction());
            assertEquals("/big.bin", t.path());
            assertTrue(t.toString(), t.bytesPerSecond() > 0);
            assertTrue("idle since RETR: " + s.idleTime(), s.idleTime().toMillis() >= 0);
            in.readAllBytes();
        }
        assertTrue(c.completePendingCommand());
        assertNull("no transfer after 226", single(server.endpoint().sessions()).transfer());
        c.disconnect();
    }

    /**
     * Ending a session during an upload: the client reads 421 on its control connection, the data connection is
     * closed, and neither the file's name nor a temporary file is left in the directory.
     */
    @Test
    public void endingASessionDuringAnUploadSends421AndLeavesNoPartialFile() throws Exception {
        try (RawClient c = RawClient.loggedIn(server.port(), "alice")) {
            c.send("TYPE I");
            c.expect("200");
            int port = c.epsv();
            c.send("STOR partial.bin");
            try (Socket data = new Socket("127.0.0.1", port)) {
                c.expect("150");
                OutputStream out = data.getOutputStream();
                out.write(new byte[256 * 1024]);
                out.flush();
                FtpSessionInfo s = single(server.endpoint().sessions());
                await("bytes of the upload arrived", () -> s.transfer() != null && s.transfer().bytes() > 0 ? s : null);
                assertEquals(FtpTransferInfo.Direction.UPLOAD, s.transfer().direction());
                assertTrue(server.endpoint().endSession(s.id(), KICKED));
                List<String> replies = repliesUntilClosed(c);
                assertTrue("421 among " + replies, replies.stream().anyMatch(r -> r.startsWith("421")
                        && r.contains(KICKED)));
                assertTrue("the data connection is closed", writeFails(out));
            }
        }
        await("the session is gone", () -> server.endpoint().openSessions() == 0 ? true : null);
        await("no file left in the home", () -> listing(server.aliceHome()).isEmpty() ? true : null);
    }

    /** Ending a user's sessions ends those of that user only. */
    @Test
    public void endingAUsersSessionsLeavesOtherUsersAlone() throws Exception {
        try (RawClient a1 = RawClient.loggedIn(server.port(), "alice");
                RawClient a2 = RawClient.loggedIn(server.port(), "alice");
                RawClient b = RawClient.loggedIn(server.port(), "bob")) {
            assertEquals(2, server.runtime().endSessionsOf("alice", "because the account was removed"));
            assertTrue(a1.reply().startsWith("421"));
            assertTrue(a2.reply().startsWith("421"));
            b.send("NOOP");
            b.expect("200");
            assertEquals(0, server.runtime().endSessionsOf("carol", "nobody"));
        }
    }

    /** A lower max.connections applies to new connections at once; the running session goes on. */
    @Test
    public void aLiveChangeAppliesWithoutClosingSessions() throws Exception {
        try (RawClient alice = RawClient.loggedIn(server.port(), "alice")) {
            server.endpoint().update(server.endpoint().settings().toBuilder().maxConnections(1).build());
            try (RawClient refused = new RawClient(server.port())) {
                assertTrue(refused.reply().startsWith("421"));
            }
            alice.send("NOOP");
            alice.expect("200");
            server.endpoint().update(server.endpoint().settings().toBuilder().maxConnections(0).build());
            try (RawClient again = RawClient.loggedIn(server.port(), "bob")) {
                again.send("NOOP");
                again.expect("200");
            }
        }
    }

    /** A change of port cannot be applied live: the endpoint says so rather than serve on the old port. */
    @Test
    public void aNewPortIsNotALiveChange() {
        ListenerSettings now = server.endpoint().settings();
        assertFalse(now.appliesLive(now.toBuilder().port(now.port() + 1).build()));
        assertFalse(now.appliesLive(now.toBuilder().implicitSsl(true).build()));
        assertTrue(now.appliesLive(now.toBuilder().maxConnections(7).idleTimeoutSeconds(9).drain(true).build()));
        try {
            server.endpoint().update(now.toBuilder().port(now.port() + 1).build());
            fail("a new port applied live");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("new socket"));
        }
    }

    /**
     * Drain: a connection that has not logged in is ended with 421, new connections are refused with 421, and the
     * logged-in session goes on transferring; undrained, the listener serves again.
     */
    @Test
    public void drainRefusesNewLoginsWhileLoggedInSessionsGoOn() throws Exception {
        server.write("file.txt", "drained\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try (RawClient alice = RawClient.loggedIn(server.port(), "alice");
                RawClient waiting = new RawClient(server.port())) {
            waiting.expect("220");
            ListenerSettings normal = server.endpoint().settings();
            server.endpoint().update(normal.toBuilder().drain(true).build());
            assertTrue(server.endpoint().draining());
            assertTrue(waiting.reply().startsWith("421"));
            try (RawClient late = new RawClient(server.port())) {
                assertTrue(late.reply().startsWith("421"));
            }
            alice.send("TYPE I");
            alice.expect("200");
            int port = alice.epsv();
            alice.send("RETR file.txt");
            assertArrayEquals("drained\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    RawClient.readAll(port));
            alice.expect("150");
            alice.expect("226");
            server.endpoint().update(normal);
            try (RawClient back = RawClient.loggedIn(server.port(), "bob")) {
                back.send("NOOP");
                back.expect("200");
            }
        }
    }

    /** Refused connections, from the allow/deny lists changed live, are counted as such. */
    @Test
    public void refusedConnectionsAreCounted() throws Exception {
        ListenerSettings normal = server.endpoint().settings();
        server.endpoint().update(normal.toBuilder().ipFilter(IpFilter.parse("", "127.0.0.0/8")).build());
        try (RawClient refused = new RawClient(server.port())) {
            assertTrue(refused.reply().startsWith("421"));
        }
        assertEquals(1, server.stats().connectionsRefused());
        assertEquals(0, server.stats().connectionsAccepted());
    }

    static FtpSessionInfo single(List<FtpSessionInfo> sessions) {
        assertEquals("sessions: " + sessions, 1, sessions.size());
        return sessions.get(0);
    }

    /** Polls until the condition returns non-null (10 s at most). */
    static <T> T await(String what, Callable<T> condition) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (true) {
            T value = condition.call();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static List<String> repliesUntilClosed(RawClient c) throws Exception {
        List<String> replies = new ArrayList<>();
        for (String r = c.reply(); !r.equals("<closed>"); r = c.reply()) {
            replies.add(r);
        }
        return replies;
    }

    private static boolean writeFails(OutputStream out) {
        try {
            for (int i = 0; i < 100; i++) {
                out.write(new byte[64 * 1024]);
                out.flush();
                Thread.sleep(10);
            }
            return false;
        } catch (Exception closed) {
            return true;
        }
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
