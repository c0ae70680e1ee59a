package bench.events;

import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The benchmark's "one handler subscribed": an EventAdmin handler for every Wharf topic that only counts, so that
 * the wharf-java17-handler server measures what delivering events costs, not what a handler does with them.
 */
public final class Activator implements BundleActivator {

    private final AtomicLong events = new AtomicLong();
    private ServiceRegistration<EventHandler> registration;

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, "dev/wharf/ftp/*");
        registration = context.registerService(EventHandler.class, e -> events.incrementAndGet(), props);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
        System.err.println("bench event handler: " + events.get() + " events");
    }
}
