package dev.wharf.ftp.impl.management;

import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers Wharf's MBeans in the platform MBean server (where JConsole, Jolokia and the Prometheus JMX exporter
 * look), each under {@code dev.wharf:type=<type>,name=<name>}. A registration is closed by whoever made it, when
 * the component it belongs to goes away.
 */
public final class MBeans {

    private static final Logger LOG = Logger.getLogger(MBeans.class.getName());
    /** The JMX domain of Wharf's MBeans. */
    public static final String DOMAIN = "dev.wharf";

    private MBeans() {
    }

    /** One registered MBean; {@link #close()} unregisters it. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** The name of an MBean of Wharf, e.g. {@code dev.wharf:type=Listener,name=default}. */
    public static ObjectName name(String type, String name) {
        try {
            return new ObjectName(DOMAIN + ":type=" + type + ",name=" + quoteIfNeeded(name));
        } catch (JMException e) {
            throw new IllegalArgumentException("not an MBean name: " + name, e);
        }
    }

    /** A plain name stays as it is (so the Prometheus label is the name); one with JMX's own characters is quoted. */
    private static String quoteIfNeeded(String name) {
        return name.matches("[A-Za-z0-9._-]+") ? name : ObjectName.quote(name);
    }

    /**
     * Registers the MBean; when another one has the name already (two listeners of one name), or JMX refuses it,
     * says so once in the log and returns a registration that does nothing: monitoring must never stop a listener.
     */
    public static Registration register(String type, String name, Object mbean) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName objectName = name(type, name);
        try {
            server.registerMBean(mbean, objectName);
        } catch (InstanceAlreadyExistsException e) {
            LOG.warning("JMX: " + objectName + " is registered already (two configurations of one name?); this one"
                    + " is not shown in JMX");
            return () -> { };
        } catch (JMException e) {
            LOG.log(Level.WARNING, "JMX: cannot register " + objectName, e);
            return () -> { };
        }
        return () -> {
            try {
                server.unregisterMBean(objectName);
            } catch (JMException e) {
                LOG.log(Level.FINE, "JMX: " + objectName + " was unregistered already", e);
            }
        };
    }
}
