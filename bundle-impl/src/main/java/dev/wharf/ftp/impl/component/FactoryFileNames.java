package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.impl.auth.PasswordHashing;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Takes up configuration files named {@code <factoryPid>~<name>.cfg}. ConfigAdmin, the Web Console and Karaf's
 * {@code config:list} show factory configurations in that form, so people name their files so; but FileInstall
 * reads only {@code <factoryPid>-<name>.cfg} as a factory configuration, and the tilde form as a plain one that no
 * Wharf component ever sees (a user file so named would keep its clear-text password on disk, unused). Such a file
 * is renamed to the dash form, with a warning, and FileInstall then hands it to Wharf as meant. When that cannot
 * be done, the file is reported and a clear-text password in it is replaced by its hash.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public class FactoryFileNames implements ConfigurationListener {

    private static final Logger LOG = Logger.getLogger(FactoryFileNames.class.getName());
    private final ConfigurationAdmin configAdmin;

    @Activate
    public FactoryFileNames(@Reference ConfigurationAdmin configAdmin, @Reference ServerRuntimeComponent runtime) {
        this.configAdmin = configAdmin;
        runtime.runtime().runInBackground("wharf-config-names", this::takeUpAll);
    }

    /**
     * Renames on ConfigAdmin's event thread, not in the background: FileInstall's own listener, called on the same
     * thread, writes the configuration back to its file if that file still exists. Run beside it, a rename could
     * fall between its check and its write, and the tilde file came back next to the renamed one.
     */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getType() == ConfigurationEvent.CM_UPDATED && event.getFactoryPid() == null
                && factoryPidOf(event.getPid()) != null) {
            takeUp(event.getPid());
        }
    }

    /** The Wharf factory PID a plain PID is named after ({@code dev.wharf.ftp.user~erin}), or null. */
    static String factoryPidOf(String pid) {
        int tilde = pid.indexOf('~');
        if (tilde <= 0 || tilde == pid.length() - 1) {
            return null;
        }
        String factoryPid = pid.substring(0, tilde);
        return WharfPids.FACTORIES.contains(factoryPid) ? factoryPid : null;
    }

    private void takeUpAll() {
        try {
            Configuration[] all = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=dev.wharf.ftp.*~*)");
            if (all != null) {
                for (Configuration c : all) {
                    if (c.getFactoryPid() == null) {
                        takeUp(c.getPid());
                    }
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.log(Level.WARNING, "cannot list configurations to look for misnamed Wharf files", e);
        }
    }

    private void takeUp(String pid) {
        String factoryPid = factoryPidOf(pid);
        try {
            Configuration[] found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + pid + ")");
            if (factoryPid == null || found == null || found.length == 0 || found[0].getFactoryPid() != null) {
                return;
            }
            Dictionary<String, Object> properties = found[0].getProperties();
            Object fileName = properties == null ? null : properties.get(CfgFile.FILENAME);
            String name = pid.substring(factoryPid.length() + 1);
            if (fileName != null && rename(Path.of(URI.create(fileName.toString())), factoryPid, name)) {
                return;
            }
            LOG.severe((fileName != null ? fileName : "configuration " + pid) + " is a plain configuration named "
                    + "like a Wharf " + factoryPid + " configuration and is NOT used; create it as "
                    + factoryPid + "-" + name + ".cfg (with a dash) instead");
            hashClearPassword(found[0], properties);
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot take up configuration " + pid, e);
        }
    }

    /** Renames {@code <factoryPid>~<name>.cfg} to the dash form beside it; false when that cannot be done. */
    private static boolean rename(Path file, String factoryPid, String name) {
        Path target = file.resolveSibling(factoryPid + "-" + name + ".cfg");
        if (!Files.isRegularFile(file) || Files.exists(target)) {
            return false;
        }
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warning("cannot rename " + file + " to " + target + ": " + e);
            return false;
        }
        LOG.warning(file + " renamed to " + target.getFileName() + ": FileInstall reads '<pid>~<name>.cfg' as a "
                + "plain configuration, which Wharf would not see; Wharf's factory configuration files are named "
                + "'<pid>-<name>.cfg'");
        return true;
    }

    /** A user configuration that Wharf cannot use must not keep a clear-text password on disk either. */
    private static void hashClearPassword(Configuration configuration, Dictionary<String, Object> properties)
            throws IOException {
        Object password = properties == null ? null : properties.get("password");
        if (password instanceof String text && !text.isEmpty() && !PasswordHashing.isHash(text)) {
            properties.put("password", PasswordHashing.hash(text.toCharArray()));
            configuration.updateIfDifferent(properties);
            LOG.info(() -> "clear-text password in configuration " + configuration.getPid() + " replaced by its hash");
        }
    }
}
