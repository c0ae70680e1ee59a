package dev.wharf.itests.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.itests.support.WharfSupport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * A Felix without EventAdmin runs Wharf; EventAdmin is installed later, as a user adds it to a running framework.
 * Wharf's events then reach an EventHandler at once, and wharf-impl is not refreshed (which would end its
 * sessions): its optional import of the event package could not be wired when it resolved, the dynamic one is.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LateEventAdminIT {

    private static final String SSL = "late-tls";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    private WharfSupport wharf;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return options(LauncherBundles.felixWithWharf("late-eventadmin", false));
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
    public void eventsReachAnEventAdminInstalledAfterWharfWithoutARefresh() throws Exception {
        assertTrue("no EventAdmin at the start", context.getServiceReference("org.osgi.service.event.EventAdmin")
                == null);
        Bundle impl = implBundle();
        List<BundleEvent> implEvents = new CopyOnWriteArrayList<>();
        BundleListener watch = e -> {
            if (e.getBundle().equals(impl)) {
                implEvents.add(e);
            }
        };
        context.addBundleListener(watch);
        Path home = wharf.dir("home-late");
        wharf.selfSignedSsl(SSL);
        wharf.awaitHashedPassword(wharf.user("lena", "lena-secret-1", home), "lena-secret-1");
        wharf.listener("late", "ssl.target", "(name=" + SSL + ")");
        InetSocketAddress address = wharf.awaitListener("late", FtpListener::tlsAvailable);
        logIn(address); // works without EventAdmin

        Bundle eventAdmin = context.installBundle(LauncherBundles.eventAdminJar());
        eventAdmin.start();
        TopicRecorder recorder = new TopicRecorder();
        List<String> topics = recorder.topics;
        ServiceRegistration<?> handler = recorder.register(context);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!topics.contains(FtpEvents.LOGIN_SUCCEEDED) && System.nanoTime() < deadline) {
                logIn(address);
                Thread.sleep(200);
            }
            assertTrue("a login event reached the EventHandler; topics seen: " + topics,
                    topics.contains(FtpEvents.LOGIN_SUCCEEDED));
            assertEquals("wharf-impl was neither stopped nor refreshed: " + implEvents, 0,
                    implEvents.stream().filter(e -> e.getType() == BundleEvent.STOPPED
                            || e.getType() == BundleEvent.UNRESOLVED).count());
        } finally {
            handler.unregister();
            context.removeBundleListener(watch);
            eventAdmin.uninstall();
        }
    }

    /**
     * Records the topics of Wharf's events. A class of its own, loaded only once EventAdmin's package is there: the
     * test class's own methods must not name the event types, as the runner looks at all their signatures first.
     */
    private static final class TopicRecorder implements EventHandler {
        final List<String> topics = new CopyOnWriteArrayList<>();

        ServiceRegistration<EventHandler> register(BundleContext context) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(EventConstants.EVENT_TOPIC, FtpEvents.TOPIC_ALL);
            return context.registerService(EventHandler.class, this, properties);
        }

        @Override
        public void handleEvent(Event event) {
            topics.add(event.getTopic());
        }
    }

    private void logIn(InetSocketAddress address) throws Exception {
        FTPSClient c = wharf.ftps(address, false);
        WharfSupport.loginProtected(c, "lena", "lena-secret-1");
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
}
