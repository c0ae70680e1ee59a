package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.settings.IpFilter;
import org.junit.Test;

/** Connection and session limits, address filters and the idle timeout, over real sockets. */
public class LimitsTest {


    @Test
    public void refusesConnectionsOverTheListenerLimits() throws Throwable {
        TestServer server = new TestServer(s -> s.maxConnections(3).maxConnectionsPerIp(2));
        server.during(() -> {
            try (RawClient a = new RawClient(server.port()); RawClient b = new RawClient(server.port())) {
                a.expect("220");
                b.expect("220");
                try (RawClient c = new RawClient(server.port())) {
                    assertTrue(c.expect("421").contains("your address"));
                }
                a.send("QUIT");
                a.expect("221");
                awaitGreeting(server.port(), "220"); // a freed slot is usable again
            }
        });
    }

    @Test
    public void deniedAddressesGetAClearReplyAndNothingElse() throws Throwable {
        TestServer server = new TestServer(s -> s.ipFilter(IpFilter.parse("", "127.0.0.0/8")));
        server.during(() -> {
            try (RawClient c = new RawClient(server.port())) {
                c.expect("421 Access denied");
            }
        });
    }

    @Test
    public void enforcesAUsersSessionLimit() throws Throwable {
        TestServer server = new TestServer();
        server.during(() -> {
            server.putUser(UserAccount.builder("alice", server.aliceHome()).maxSessions(1).build());
            try (RawClient first = RawClient.loggedIn(server.port(),
                    "alice"); RawClient second = new RawClient(server.port())) {
                second.expect("220");
                second.send("USER alice");
                second.expect("331");
                second.send("PASS " + TestServer.PASSWORD);
                assertTrue(second.expect("530").contains("Too many sessions"));
                first.send("QUIT");
                first.expect("221");
            }
            try (RawClient again = RawClient.loggedIn(server.port(), "alice")) {
                again.send("NOOP");
                again.expect("200");
            }
        });
    }

    /** Connects until the listener greets with the code, for up to five seconds. */
    private static void awaitGreeting(int port, String code) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try (RawClient c = new RawClient(port)) {
                String greeting = c.reply();
                if (greeting.startsWith(code) || System.nanoTime() > deadline) {
                    assertTrue(greeting, greeting.startsWith(code));
                    return;
                }
            }
            Thread.sleep(50);
        }
    }

    @Test
    public void closesIdleSessions() throws Throwable {
        TestServer server = new TestServer(s -> s.idleTimeoutSeconds(1));
        server.during(() -> {
            try (RawClient c = RawClient.loggedIn(server.port(), "alice")) {
                long start = System.nanoTime();
                assertEquals("421", c.reply().substring(0, 3)); // comes by itself after the idle timeout
                assertTrue(System.nanoTime() - start > 500_000_000L);
            }
        });
    }

    @Test
    public void aCommandSplitByTheIdleTimeoutDuringATransferIsReadWhole() throws Throwable {
        TestServer server = new TestServer(s -> s.idleTimeoutSeconds(1));
        server.during(() -> {
            try (RawClient c = RawClient.loggedIn(server.port(), "alice")) {
                c.send("TYPE I");
                c.expect("200");
                int dataPort = c.epsv();
                c.send("STOR slow.bin");
                try (java.net.Socket data = new java.net.Socket("127.0.0.1", dataPort)) {
                    c.expect("150");
                    c.sendBytes("NO".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    // The transfer keeps the session alive while the control connection's reads time out twice.
                    for (int i = 0; i < 10; i++) {
                        data.getOutputStream().write(new byte[100]);
                        Thread.sleep(250);
                    }
                    c.sendBytes("OP\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    c.expect("200"); // NOOP, not "OP"
                    data.close();
                    c.expect("226");
                }
            }
            assertEquals(1000, java.nio.file.Files.size(server.aliceHome().resolve("slow.bin")));
        });
    }

    /** A rebind's old sessions finish within stop.grace, and their deadlines still count meanwhile. */
    @Test
    public void aSessionLeftToFinishAfterARebindStillHasItsDeadlines() throws Throwable {
        TestServer server = new TestServer(s -> s.commandTimeoutSeconds(1));
        server.during(() -> {
            try (RawClient c = RawClient.loggedIn(server.port(), "alice")) {
                c.send("TYPE I");
                c.expect("200");
                int dataPort = c.epsv();
                c.send("STOR grace.bin");
                try (java.net.Socket data = new java.net.Socket("127.0.0.1", dataPort)) {
                    c.expect("150");
                    server.endpoint().stopAccepting(); // as a rebind does; the sessions go on
                    Thread finisher = new Thread(() -> server.endpoint().endSessions(30_000));
                    finisher.start();
                    c.sendBytes("NO".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // and no more
                    long start = System.nanoTime();
                    String reply = c.reply();
                    if (reply.startsWith("426")) {
                        reply = c.reply(); // the aborted upload's reply may come first
                    }
                    assertTrue(reply, reply.startsWith("421") && reply.contains("Command not complete"));
                    assertTrue("within seconds, not at the end of the grace",
                            System.nanoTime() - start < 10_000_000_000L);
                    finisher.join(10_000);
                    assertTrue("the old sessions are all ended", !finisher.isAlive());
                }
            }
        });
    }

    @Test
    public void stoppingAListenerLetsARunningTransferFinish() throws Throwable {
        TestServer server = new TestServer();
        server.during(() -> {
            int port = server.port();
            try (RawClient c = RawClient.loggedIn(port, "alice")) {
                c.send("TYPE I");
                c.expect("200");
                int dataPort = c.epsv();
                c.send("STOR late.bin");
                try (java.net.Socket data = new java.net.Socket("127.0.0.1", dataPort)) {
                    c.expect("150");
                    data.getOutputStream().write(new byte[1000]);
                    Thread stopper = new Thread(() -> server.endpoint().stop(10_000));
                    stopper.start();
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while (server.endpoint().boundAddress() != null && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    try (java.net.Socket refused = new java.net.Socket()) {
                        refused.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
                        org.junit.Assert.fail("a stopped listener must not accept");
                    } catch (java.io.IOException expected) {
                        // the port is closed
                    }
                    data.getOutputStream().write(new byte[1000]);
                    data.close();
                    c.expect("226");
                    c.expect("421");
                    stopper.join(5000);
                }
            }
            assertEquals(2000, java.nio.file.Files.size(server.aliceHome().resolve("late.bin")));
        });
    }

    @Test
    public void aBusyPortIsRetriedUntilItIsFree() throws Throwable {
        java.nio.channels.ServerSocketChannel squatter = java.nio.channels.ServerSocketChannel.open();
        squatter.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
        int port = squatter.socket().getLocalPort();
        dev.wharf.ftp.impl.net.ServerRuntime runtime = new dev.wharf.ftp.impl.net.ServerRuntime();
        dev.wharf.ftp.impl.net.FtpEndpoint endpoint = new dev.wharf.ftp.impl.net.FtpEndpoint(runtime,
                TestServer.testDefaults().port(port).build(), null, null,
                (user, password) -> java.util.Optional.empty());
        try (runtime) {
            endpoint.startOrRetry(200);
            assertEquals(null, endpoint.boundAddress());
            squatter.close();
            long deadline = System.currentTimeMillis() + 5000;
            while (endpoint.boundAddress() == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(port, endpoint.boundAddress().getPort());
            try (RawClient c = new RawClient(port)) {
                c.expect("220");
            }
        } finally {
            squatter.close();
            endpoint.stop(1000);
        }
    }

    @Test
    public void aClientThatStopsReadingIsTimedOut() throws Throwable {
        TestServer server = new TestServer(s -> s.dataTimeoutSeconds(2));
        server.during(() -> {
            server.write("big.bin", new byte[32 * 1024 * 1024]);
            try (RawClient c = RawClient.loggedIn(server.port(), "alice")) {
                c.send("TYPE I");
                c.expect("200");
                int port = c.epsv();
                c.send("RETR big.bin");
                try (java.net.Socket data = new java.net.Socket()) {
                    data.setReceiveBufferSize(4096);
                    data.connect(new java.net.InetSocketAddress("127.0.0.1", port));
                    c.expect("150");
                    // read nothing: the server's writes stall
                    assertTrue(c.expect("426").contains("timed out"));
                }
                c.send("NOOP");
                c.expect("200");
            }
        });
    }

    @Test
    public void uploadsFlushedToDiskLandLikeOthers() throws Throwable {
        TestServer server = new TestServer(s -> s.syncUploads(true));
        server.during(() -> {
            org.apache.commons.net.ftp.FTPClient c = Clients.plain(server, "alice");
            try {
                byte[] content = new byte[300_000];
                new java.util.Random(3).nextBytes(content);
                assertTrue(c.storeFile("synced.bin", new java.io.ByteArrayInputStream(content)));
                assertTrue(c.storeUniqueFile("synced.bin", new java.io.ByteArrayInputStream(content)));
                org.junit.Assert.assertArrayEquals(content,
                        java.nio.file.Files.readAllBytes(server.aliceHome().resolve("synced.bin")));
                org.junit.Assert.assertArrayEquals(content,
                        java.nio.file.Files.readAllBytes(server.aliceHome().resolve("synced.bin.1")));
            } finally {
                Clients.close(c);
            }
        });
    }
}
