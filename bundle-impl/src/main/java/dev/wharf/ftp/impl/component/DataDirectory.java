package dev.wharf.ftp.impl.component;

import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/**
 * Where Wharf keeps state that must outlive the bundle (the self-signed certificate, the defender's bans): the
 * launcher's {@code wharf.data}, Karaf's {@code data/wharf}, else the bundle's data area. Not the bundle's data
 * area in Karaf: that belongs to one bundle id, so reinstalling the feature would lose it.
 */
final class DataDirectory {

    private DataDirectory() {
    }

    /** The folder {@code name} in Wharf's data directory (not created here). */
    static Path of(BundleContext context, String name) {
        String wharfData = context.getProperty("wharf.data");
        if (wharfData != null) {
            return Path.of(wharfData, name);
        }
        String karafData = context.getProperty("karaf.data");
        if (karafData != null) {
            return Path.of(karafData, "wharf", name);
        }
        return context.getDataFile(name).toPath();
    }
}
