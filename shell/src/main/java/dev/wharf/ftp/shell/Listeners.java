package dev.wharf.ftp.shell;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.ftp.api.FtpSessionInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** The FtpListener services running now, as the commands and completers see them. */
final class Listeners {

    private Listeners() {
    }

    /** Every listener, by name. */
    static List<FtpListener> all(BundleContext context) {
        List<FtpListener> out = new ArrayList<>();
        try {
            for (ServiceReference<FtpListener> ref : context.getServiceReferences(FtpListener.class, null)) {
                FtpListener listener = context.getService(ref);
                if (listener != null) {
                    out.add(listener);
                    context.ungetService(ref); // a lookup: the component stays registered, and is asked at once
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // a null filter is always valid
        }
        out.sort(Comparator.comparing(FtpListener::name));
        return out;
    }

    /** The listeners of that name (all when null). */
    static List<FtpListener> named(BundleContext context, String name) {
        return all(context).stream().filter(l -> name == null || l.name().equals(name)).toList();
    }

    /** A session with its listener. */
    record Session(FtpListener listener, FtpSessionInfo info) {
    }

    /** The sessions of every listener (or of the named one), oldest first. */
    static List<Session> sessions(BundleContext context, String listenerName) {
        List<Session> out = new ArrayList<>();
        for (FtpListener l : named(context, listenerName)) {
            l.sessions().forEach(s -> out.add(new Session(l, s)));
        }
        out.sort(Comparator.comparing(s -> s.info().openedAt()));
        return out;
    }
}
