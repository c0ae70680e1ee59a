package dev.wharf.launcher;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;

/**
 * Copies entries of the OSGi log service to java.util.logging (stderr). Without it, SCR, ConfigAdmin and
 * FileInstall errors (a component that fails to activate, a .cfg file that does not parse) would go to the log
 * service's memory only and never be seen.
 *
 * <p>The log API lives in the org.apache.felix.log bundle, not on the launcher's classpath, so the listener is a
 * reflective proxy of that bundle's {@code LogListener} interface.
 */
final class OsgiLogBridge {

    private static final String LOG_READER = "org.osgi.service.log.LogReaderService";
    private static final Logger LOGGER = Logger.getLogger("osgi");

    private OsgiLogBridge() {
    }

    /** Attaches to the log reader as soon as it registers; call before the bundles start. */
    static void attach(BundleContext context, boolean debug) {
        int maxLevel = debug ? 3 : 2; // OSGi levels: 1 error, 2 warning, 3 info, 4 debug
        try {
            context.addServiceListener(event -> {
                if (event.getType() == ServiceEvent.REGISTERED) {
                    listen(context, event.getServiceReference(), maxLevel);
                }
            }, "(objectClass=" + LOG_READER + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void listen(BundleContext context, ServiceReference<?> reference, int maxLevel) {
        try {
            Bundle api = reference.getBundle();
            Class<?> listenerType = api.loadClass("org.osgi.service.log.LogListener");
            Class<?> entryType = api.loadClass("org.osgi.service.log.LogEntry");
            Method level = entryType.getMethod("getLevel");
            Method message = entryType.getMethod("getMessage");
            Method bundle = entryType.getMethod("getBundle");
            Method exception = entryType.getMethod("getException");
            Object listener = Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] {listenerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "logged" -> {
                            Object entry = args[0];
                            int osgiLevel = (Integer) level.invoke(entry);
                            if (osgiLevel <= maxLevel) {
                                LogRecord record = new LogRecord(julLevel(osgiLevel), (String) message.invoke(entry));
                                Bundle source = (Bundle) bundle.invoke(entry);
                                record.setLoggerName(source == null ? "osgi" : source.getSymbolicName());
                                record.setThrown((Throwable) exception.invoke(entry));
                                LOGGER.log(record);
                            }
                            yield null;
                        }
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "wharf OSGi log bridge";
                    });
            Object reader = context.getService(reference);
            api.loadClass(LOG_READER).getMethod("addLogListener", listenerType).invoke(reader, listener);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "cannot follow the OSGi log service; its entries will not be shown", e);
        }
    }

    private static Level julLevel(int osgiLevel) {
        return switch (osgiLevel) {
            case 1 -> Level.SEVERE;
            case 2 -> Level.WARNING;
            case 3 -> Level.INFO;
            default -> Level.FINE;
        };
    }
}
