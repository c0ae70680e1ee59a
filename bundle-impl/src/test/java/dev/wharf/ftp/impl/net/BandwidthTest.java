package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.settings.UserDefaults;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.Test;

/**
 * Rate limits measured over real transfers of about ten seconds each: the whole class takes about 35 s and should
 * run with nothing else heavy on the machine. A limit must hold within ±10% (1.8 to 2.2 MiB/s for 2m), for one
 * transfer and for a user's parallel transfers together.
 */
public class BandwidthTest {

    private static final long MIB = 1024 * 1024;

    @Test
    public void aDownloadLimitHoldsOverTenSeconds() throws Throwable {
        TestServer server = new TestServer();
        server.during(() -> {
            server.putUser(UserAccount.builder("alice", server.aliceHome()).downloadRate(2 * MIB).build());
            server.write("twenty.bin", Clients.randomBytes((int) (20 * MIB)));
            FTPClient c = Clients.plain(server, "alice");
            try {
                double rate = download(c, "twenty.bin", 20 * MIB);
                System.out.printf("one download limited to 2 MiB/s: %.3f MiB/s%n", rate / MIB);
                assertRate(2 * MIB, rate);
            } finally {
                Clients.close(c);
            }
        });
    }

    @Test
    public void aUsersParallelDownloadsShareTheLimitFairly() throws Throwable {
        TestServer server = new TestServer();
        server.during(() -> {
            server.putUser(UserAccount.builder("alice", server.aliceHome()).downloadRate(2 * MIB).build());
            server.write("a.bin", Clients.randomBytes((int) (10 * MIB)));
            server.write("b.bin", Clients.randomBytes((int) (10 * MIB) + 1));
            double[] rates = parallelDownloads(server, List.of("a.bin", "b.bin"), 10 * MIB);
            System.out.printf("two parallel downloads of one user limited to 2 MiB/s: %.3f MiB/s together "
                    + "(%.3f + %.3f)%n", rates[0] / MIB, rates[1] / MIB, rates[2] / MIB);
            assertRate(2 * MIB, rates[0]);
            assertRate(MIB, rates[1]); // fair: each about half
            assertRate(MIB, rates[2]);
        });
    }

    @Test
    public void aTlsUploadLimitHolds() throws Throwable {
        TestServer server = new TestServer();
        server.during(() -> {
            server.putUser(UserAccount.builder("alice", server.aliceHome()).writable(true).uploadRate(MIB).build());
            byte[] content = Clients.randomBytes((int) (5 * MIB));
            FTPSClient c = Clients.tls(server, false, "alice");
            try {
                // A first small upload warms up TLS (the provider's first handshake costs a good part of a second)
                assertTrue(c.getReplyString(), c.storeFile("warm.bin", new ByteArrayInputStream(new byte[1])));
                long start = System.nanoTime();
                assertTrue(c.getReplyString(), c.storeFile("up.bin", new ByteArrayInputStream(content)));
                double rate = 5.0 * MIB / ((System.nanoTime() - start) / 1e9);
                System.out.printf("a TLS upload limited to 1 MiB/s: %.3f MiB/s%n", rate / MIB);
                assertRate(MIB, rate);
            } finally {
                Clients.close(c);
            }
            assertArrayEquals(content, Files.readAllBytes(server.aliceHome().resolve("up.bin")));
        });
    }

    /** rate.scope = session and the listener's default: each session gets the whole rate of its own. */
    @Test
    public void aListenerDefaultPerSessionLimitsEachSession() throws Throwable {
        TestServer server = new TestServer(s -> s.userDefaults(new UserDefaults(0, 512 * 1024, true, 022)));
        server.during(() -> {
            server.write("a.bin", Clients.randomBytes((int) (MIB * 5 / 2)));
            server.write("b.bin", Clients.randomBytes((int) (MIB * 5 / 2) + 1));
            double[] rates = parallelDownloads(server, List.of("a.bin", "b.bin"), MIB * 5 / 2);
            System.out.printf("two sessions limited to 512 KiB/s each: %.3f + %.3f MiB/s%n", rates[1] / MIB,
                    rates[2] / MIB);
            assertRate(512 * 1024, rates[1]);
            assertRate(512 * 1024, rates[2]);
        });
    }

    private static void assertRate(long limit, double measured) {
        assertTrue(String.format("%.0f bytes/s measured for a limit of %d: not within 10%%", measured, limit),
                measured >= limit * 0.9 && measured <= limit * 1.1);
    }

    /** Downloads the file, checking its length; returns bytes per second. */
    private static double download(FTPClient c, String name, long size) throws IOException {
        long[] received = {0};
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                received[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                received[0] += len;
            }
        };
        long start = System.nanoTime();
        assertTrue(c.getReplyString(), c.retrieveFile(name, counter));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(size + (name.startsWith("b") ? 1 : 0), received[0]);
        return received[0] / seconds;
    }

    /** Downloads the files at once, one session each; returns the combined rate, then each one's. */
    private static double[] parallelDownloads(TestServer server, List<String> names, long size) throws Exception {
        List<FTPClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(names.size());
        try {
            for (int i = 0; i < names.size(); i++) {
                clients.add(Clients.plain(server, "alice"));
            }
            long start = System.nanoTime();
            List<Future<Double>> rates = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                FTPClient c = clients.get(i);
                String name = names.get(i);
                rates.add(pool.submit(() -> download(c, name, size)));
            }
            double[] out = new double[names.size() + 1];
            for (int i = 0; i < rates.size(); i++) {
                out[i + 1] = rates.get(i).get();
            }
            out[0] = (names.size() * size) / ((System.nanoTime() - start) / 1e9);
            return out;
        } finally {
            pool.shutdownNow();
            clients.forEach(Clients::close);
        }
    }
}
