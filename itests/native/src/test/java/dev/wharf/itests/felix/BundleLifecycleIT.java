package dev.wharf.itests.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.itests.support.WharfSupport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The wharf-impl bundle stopped, started, updated and refreshed while it serves: every thread it started ends
 * with it (nothing static outlives the bundle), and after each step FTPS works again from the same configuration.
 * The framework runs in this JVM (Java 17: sessions on platform threads), so its threads can be counted here.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleLifecycleIT {

    private static final String SSL = "lifecycle-tls";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    private WharfSupport wharf;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return options(
                LauncherBundles.felixWithWharf("lifecycle"));
    }

    @Before
    public void setUp() {
        wharf = new WharfSupport(context, cm);
    }

    @After
    public void tearDown() throws Exception {
        wharf.close();
    }

    @Test
    public void stopUpdateAndRefreshLeaveNoThreadOfTheOldBundle() throws Exception {
        Path home = wharf.dir("home-lifecycle");
        wharf.selfSignedSsl(SSL);
        wharf.awaitHashedPassword(wharf.user("lena", "lena-secret-1", home), "lena-secret-1");
        wharf.listener("lifecycle", "ssl.target", "(name=" + SSL + ")");
        serves(home, "before.bin");
        FTPSClient open = wharf.ftps(wharf.awaitListener("lifecycle", FtpListener::tlsAvailable), false);
        WharfSupport.loginProtected(open, "lena", "lena-secret-1");
        List<String> running = wharfThreads();
        assertTrue("threads while serving: " + running, running.stream().anyMatch(t -> t.startsWith("wharf-timer-")));

        Bundle impl = implBundle();
        impl.stop();
        awaitNoWharfThread("after stopping " + impl.getSymbolicName());
        impl.start();
        serves(home, "restarted.bin");

        impl.update();
        refresh(impl);
        serves(home, "updated.bin");
        List<String> after = wharfThreads();
        assertEquals("one timer thread: " + after, 1, after.stream().filter(t -> t.startsWith("wharf-timer-")).count());
        assertEquals("one acceptor: " + after, 1, after.stream().filter(t -> t.startsWith("wharf-acceptor-")).count());

        implBundle().stop();
        awaitNoWharfThread("after stopping the updated bundle");
        implBundle().start();
        serves(home, "last.bin");
    }

    private void serves(Path home, String name) throws Exception {
        InetSocketAddress address = wharf.awaitListener("lifecycle", FtpListener::tlsAvailable);
        FTPSClient c = wharf.ftps(address, false);
        WharfSupport.loginProtected(c, "lena", "lena-secret-1");
        WharfSupport.roundTrip(c, name, WharfSupport.randomBytes(100_000, name.hashCode()), home);
        assertTrue(c.logout());
        c.disconnect();
    }

    private Bundle implBundle() {
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().contains("wharf-impl")) {
                return b;
            }
        }
        throw new AssertionError("wharf-impl is not installed");
    }

    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue("refresh finished", done.await(30, TimeUnit.SECONDS));
    }

    /** The live platform threads whose names say they are Wharf's. */
    private static List<String> wharfThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("wharf-")).sorted().toList();
    }

    private static void awaitNoWharfThread(String when) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> left = wharfThreads();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = wharfThreads();
        }
        if (!left.isEmpty()) {
            fail("Wharf threads still alive " + when + ": " + left);
        }
    }
}
