package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.impl.activity.Activities;
import dev.wharf.ftp.impl.activity.Activity;
import dev.wharf.ftp.impl.protocol.Offence;
import dev.wharf.ftp.impl.settings.AddressBlocks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The defender across connections, over real sockets from loopback aliases: 127.0.0.3 plays the attacker,
 * 127.0.0.1 a bystander and 127.0.0.4 a safe-listed address.
 */
public class DefenderTest {

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    /** Ten points ban for 2 s, then 4 s, up to 8 s; 127.0.0.4 is safe. */
    private static DefenderSettings settings() {
        return new DefenderSettings(10, 60_000, 2_000, 8_000, AddressBlocks.parse("127.0.0.4"), 1, 1, 2);
    }

    /** Attaches a defender to the test server's runtime, as DefenderComponent does. */
    private Defender defend(TestServer server, Path stateFile) {
        Defender d = new Defender(settings(), stateFile, server.runtime().activities(), System::currentTimeMillis);
        server.runtime().defender(d);
        server.runtime().every(d::expire, 200, TimeUnit.MILLISECONDS);
        return d;
    }

    @Test
    public void tenFailedLoginsBanAnAddressBeforeTlsUntilTheBanEnds() throws Throwable {
        TestServer server = new TestServer(s -> s.loginFailureDelayMillis(0).maxLoginFailures(3));
        server.during(() -> {
            defend(server, temp.getRoot().toPath().resolve("bans"));
            List<Activity> bans = new CopyOnWriteArrayList<>();
            server.runtime().activities().add(bans::add, t -> t.startsWith("dev/wharf/ftp/defender/"));

            failLogins(server.port(), "127.0.0.3", 10);
            try (RawClient banned = new RawClient("127.0.0.3", server.port())) {
                assertTrue(banned.expect("421").contains("too many failures")); // instead of the greeting
            }
            try (RawClient bystander = RawClient.loggedIn(server.port(), "alice")) {
                bystander.send("NOOP");
                bystander.expect("200");
            }
            assertEquals(1, bans.size());
            Activity ban = bans.get(0);
            assertEquals(FtpEvents.DEFENDER_BANNED, ban.topic());
            assertEquals("127.0.0.3", ban.get(FtpEvents.REMOTE_ADDRESS));
            assertEquals(1, ban.get(FtpEvents.BAN_COUNT));
            assertEquals(10, ban.get(FtpEvents.SCORE));

            awaitGreeting(server.port(), "127.0.0.3", 5_000); // the 2 s ban ends by itself
            for (int i = 0; i < 50 && bans.size() < 2; i++) {
                Thread.sleep(20); // the timer reports the end within its next round
            }
            assertEquals(FtpEvents.DEFENDER_UNBANNED, bans.get(1).topic());

            failLogins(server.port(), "127.0.0.3", 10); // a repeat offender: twice as long
            Activity second = bans.get(2);
            assertEquals(2, second.get(FtpEvents.BAN_COUNT));
            long length = (Long) second.get(FtpEvents.BAN_UNTIL) - (Long) second.get(FtpEvents.TIMESTAMP);
            assertTrue("second ban lasts " + length + " ms", length >= 3_900 && length <= 4_100);
        });
    }

    @Test
    public void aSafeListedAddressIsNeverBanned() throws Throwable {
        TestServer server = new TestServer(s -> s.loginFailureDelayMillis(0).maxLoginFailures(3));
        server.during(() -> {
            Defender d = defend(server, null);
            failLogins(server.port(), "127.0.0.4", 30);
            for (int i = 0; i < 10; i++) {
                d.score(InetAddress.getByName("127.0.0.4"), Offence.PROTOCOL_ABUSE);
            }
            assertTrue(d.bans().isEmpty());
            try (RawClient safe = new RawClient("127.0.0.4", server.port())) {
                safe.expect("220");
            }
        });
    }

    /** On an implicit-TLS listener a banned client gets no handshake at all: the connection just closes. */
    @Test
    public void anImplicitListenerClosesABannedConnectionWithoutAnyTls() throws Throwable {
        TestServer server = new TestServer(s -> s.implicitSsl(true));
        server.during(() -> {
            Defender d = defend(server, null);
            for (int i = 0; i < 5; i++) {
                d.score(InetAddress.getByName("127.0.0.3"), Offence.PROTOCOL_ABUSE);
            }
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress("127.0.0.3", 0));
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                s.setSoTimeout(5_000);
                // An implicit listener waits for the ClientHello in silence; a banned client is closed at once.
                assertEquals("closed without a byte of TLS", -1, s.getInputStream().read());
            }
        });
    }

    @Test
    public void bansAreKeptInTheStateFileAcrossARestart() throws IOException {
        Path file = temp.getRoot().toPath().resolve("defender/bans");
        AtomicLong now = new AtomicLong(1_000_000);
        InetAddress attacker = InetAddress.getByName("127.0.0.3");
        Defender first = new Defender(settings(), file, new Activities(), now::get);
        for (int i = 0; i < 10; i++) {
            first.score(attacker, Offence.LOGIN_FAILED);
        }
        assertTrue(first.refuses(attacker));
        assertTrue(Files.readString(file).contains("127.0.0.3 1002000 1"));

        now.addAndGet(1_000);
        Defender afterRestart = new Defender(settings(), file, new Activities(), now::get);
        assertTrue(afterRestart.refuses(attacker));
        assertFalse(afterRestart.refuses(InetAddress.getByName("127.0.0.1")));
        now.addAndGet(1_001);
        afterRestart.expire();
        assertFalse(afterRestart.refuses(attacker));
        for (int i = 0; i < 10; i++) {
            afterRestart.score(attacker, Offence.LOGIN_FAILED);
        }
        assertEquals("the ban count came through the restart: the second ban is twice as long",
                Long.valueOf(now.get() + 4_000), afterRestart.bans().get(attacker));
    }

    /** Fails logins from the source address, reconnecting whenever the listener closes the connection. */
    private static void failLogins(int port, String source, int count) throws IOException {
        int failed = 0;
        while (failed < count) {
            try (RawClient c = new RawClient(source, port)) {
                c.expect("220");
                for (int i = 0; i < 3 && failed < count; i++) {
                    c.send("USER alice");
                    c.expect("331");
                    c.send("PASS wrong");
                    String r = c.reply();
                    assertTrue(r, r.startsWith("530") || r.startsWith("421"));
                    failed++;
                    if (r.startsWith("421")) {
                        break;
                    }
                }
            }
        }
    }

    /** Connects from the source until it is greeted with 220, for up to the time given. */
    private static void awaitGreeting(int port, String source, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            try (RawClient c = new RawClient(source, port)) {
                String greeting = c.reply();
                if (greeting.startsWith("220")) {
                    return;
                }
                assertTrue("still refused: " + greeting, System.nanoTime() < deadline);
            }
            Thread.sleep(100);
        }
    }
}
