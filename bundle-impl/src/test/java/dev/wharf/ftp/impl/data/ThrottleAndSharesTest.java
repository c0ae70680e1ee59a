package dev.wharf.ftp.impl.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.settings.UserDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The token bucket's arithmetic on a given clock, and what logins share through UserShares. */
public class ThrottleAndSharesTest {

    private static final long SECOND = 1_000_000_000L;

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void reservationsFollowOneClockInTheOrderTheyCame() {
        Throttle t = new Throttle(1000); // bytes per second
        long now = System.nanoTime() + 10 * SECOND; // later than the throttle was made
        assertEquals("a quiet bucket lets 50 ms pass at once", 0, t.reserve(50, now));
        assertEquals(500_000_000L, t.reserve(500, now)); // 0.5 s of debt
        assertEquals("the next caller waits behind it", SECOND, t.reserve(500, now));
        assertEquals("time paid the debt, and saved 50 ms", 0, t.reserve(50, now + 2 * SECOND));
        assertEquals(64 * 1024, new Throttle(100L << 20).chunk());
        assertEquals(1024, new Throttle(1000).chunk());
    }

    @Test
    public void aUsersLoginsShareThrottlesAndAHomeUntilTheLastLeaves() throws Exception {
        Path home = temp.newFolder("alice").toPath();
        Files.write(home.resolve("a"), new byte[100]);
        Files.createDirectories(home.resolve("sub"));
        Files.write(home.resolve("sub/b"), new byte[50]);
        Files.write(home.resolve(".wharf-x.part"), new byte[1000]); // an upload under way: counted by itself
        Files.createSymbolicLink(home.resolve("link"), home.resolve("a"));
        UserAccount alice = UserAccount.builder("alice", home).downloadRate(2048).quota(1000, 10).build();
        UserShares shares = new UserShares();

        UserShares.Lease first = shares.join(alice, UserDefaults.STANDARD);
        UserShares.Lease second = shares.join(alice, UserDefaults.STANDARD);
        assertSame(first.download(), second.download());
        assertNull("no upload limit", first.upload());
        assertEquals(150, first.quota().usedBytes());
        assertEquals(2, first.quota().usedFiles());
        Files.write(home.resolve("c"), new byte[10]); // outside FTP: seen at the next count, not now
        UserShares.Lease third = shares.join(alice, UserDefaults.STANDARD);
        assertEquals(150, third.quota().usedBytes());

        first.close();
        second.close();
        first.close(); // twice is once
        third.close();
        assertEquals("UserShares[][]", shares.toString());
        UserShares.Lease again = shares.join(alice, UserDefaults.STANDARD);
        assertEquals("counted afresh", 160, again.quota().usedBytes());
        assertNotSame(first.download(), again.download());

        UserShares.Lease perSession = shares.join(UserAccount.builder("bob", home).build(),
                new UserDefaults(0, 4096, true, 022));
        assertEquals(4096, perSession.download().rate());
        assertNull("no quota", perSession.quota());
        assertTrue(shares.toString(), !shares.toString().contains("bob"));
    }
}
