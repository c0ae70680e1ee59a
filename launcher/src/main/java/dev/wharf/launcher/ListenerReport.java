package dev.wharf.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Says after start-up what the server really serves: each configured listener with its address and TLS mode, or
 * why it does not serve (its port is taken, its TLS configuration cannot be used, a value is wrong). "Wharf is
 * running" is printed only when every configured listener accepts connections.
 *
 * <p>The listeners are {@code dev.wharf.ftp.api.FtpListener} services of a bundle; the launcher does not share
 * their class loader, so it calls them by name through reflection.
 */
final class ListenerReport {

    private static final String LISTENER_SERVICE = "dev.wharf.ftp.api.FtpListener";
    private static final String LISTENER_FILES = "dev.wharf.ftp.listener-*.cfg";

    /** @param anonymousRoot where anonymous users are served from; null when the listener does not offer it */
    private record Listener(String name, boolean implicit, boolean tls, InetSocketAddress address, String problem,
            String anonymousRoot) {
        boolean serves() {
            return address != null && problem == null;
        }
    }

    private ListenerReport() {
    }

    /** Waits up to {@code timeout} for the listeners configured in {@code etc} to accept, then reports. */
    static void await(BundleContext context, Path etc, Duration timeout, PrintStream out, PrintStream err) {
        int configured = configuredListeners(etc);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Listener> listeners = listeners(context);
        while (System.nanoTime() < deadline
                && (listeners.size() < configured || !listeners.stream().allMatch(Listener::serves))) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // stopping during start-up: nothing to report
            }
            listeners = listeners(context);
        }
        boolean all = listeners.size() >= configured && listeners.stream().allMatch(Listener::serves);
        String where = "configuration in " + etc;
        if (all) {
            out.println("Wharf " + Main.version() + " is running (" + where + "). Stop with Ctrl-C.");
        } else {
            err.println("wharf: started, but not every configured listener serves (" + where + "):");
        }
        for (Listener l : listeners) {
            (l.serves() ? out : err).println("  " + describe(l));
        }
        if (listeners.size() < configured) {
            err.println("  " + (configured - listeners.size()) + " of the " + configured
                    + " configured listeners did not start; see the log above");
        }
    }

    private static String describe(Listener l) {
        if (!l.serves()) {
            return "listener '" + l.name() + "' does not serve: "
                    + (l.problem() != null ? l.problem() : "it is not accepting connections");
        }
        String mode = l.implicit() ? "implicit FTPS" : l.tls() ? "explicit FTPS" : "plain FTP (no TLS configuration)";
        return "listener '" + l.name() + "': " + mode + " on " + l.address().getHostString() + ":"
                + l.address().getPort() + (l.anonymousRoot() == null ? ""
                : ", anonymous read-only access to " + l.anonymousRoot());
    }

    private static int configuredListeners(Path etc) {
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(etc, LISTENER_FILES)) {
            for (Path ignored : files) {
                n++;
            }
        } catch (IOException e) {
            return 0;
        }
        return n;
    }

    private static List<Listener> listeners(BundleContext context) {
        List<Listener> out = new ArrayList<>();
        ServiceReference<?>[] refs;
        try {
            refs = context.getServiceReferences(LISTENER_SERVICE, null);
        } catch (InvalidSyntaxException impossible) {
            return out;
        }
        if (refs == null) {
            return out;
        }
        for (ServiceReference<?> ref : refs) {
            Object service = context.getService(ref);
            if (service == null) {
                continue;
            }
            try {
                out.add(new Listener(String.valueOf(ref.getProperty("name")),
                        Boolean.parseBoolean(String.valueOf(ref.getProperty("implicit.ssl"))),
                        (Boolean) call(service, "tlsAvailable"), (InetSocketAddress) call(service, "boundAddress"),
                        (String) call(service, "problem"),
                        Boolean.parseBoolean(String.valueOf(ref.getProperty("anonymous")))
                                ? String.valueOf(ref.getProperty("anonymous.root")) : null));
            } catch (ReflectiveOperationException | RuntimeException e) {
                out.add(new Listener(String.valueOf(ref.getProperty("name")), false, false, null,
                        "cannot be asked: " + e, null));
            } finally {
                context.ungetService(ref);
            }
        }
        return out;
    }

    private static Object call(Object service, String method) throws ReflectiveOperationException {
        Method m = service.getClass().getMethod(method);
        return m.invoke(service);
    }
}
