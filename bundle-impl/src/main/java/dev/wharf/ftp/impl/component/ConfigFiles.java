package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.impl.auth.PasswordHashing;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
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
 * Keeps Wharf's configurations made outside {@code etc/} (the Web Console's forms, a shell) as .cfg files there.
 * The standalone launcher starts the framework with an empty store each time, and {@code etc/*.cfg} is its whole
 * configuration; without this, a listener or user created in the Web Console was gone after a restart. Such a
 * configuration is tied to a new file ({@code <factoryPid>-<name>.cfg}) that FileInstall then manages like any
 * other: later changes are written back into it, and deleting the configuration deletes the file. A user is
 * written only once its password is a hash, never with the clear text.
 *
 * <p>Active only where the launcher names the folder (framework property {@value #FOLDER_PROPERTY}); Karaf keeps
 * configurations across restarts itself.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public class ConfigFiles implements ConfigurationListener {

    static final String FOLDER_PROPERTY = "wharf.config.files";
    private static final Logger LOG = Logger.getLogger(ConfigFiles.class.getName());

    private final ConfigurationAdmin configAdmin;
    private final ServerRuntimeComponent runtime;
    private final Path folder;
    /** The files written here, by PID: deleting such a configuration deletes its file. */
    private final Map<String, Path> written = new ConcurrentHashMap<>();

    @Activate
    public ConfigFiles(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference ServerRuntimeComponent runtime) {
        this.configAdmin = configAdmin;
        this.runtime = runtime;
        String named = context.getProperty(FOLDER_PROPERTY);
        this.folder = named == null || named.isBlank() ? null : Path.of(named);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String kind = event.getFactoryPid() != null ? event.getFactoryPid() : event.getPid();
        if (folder == null || !WharfPids.ALL.contains(kind)) {
            return;
        }
        String pid = event.getPid();
        if (event.getType() == ConfigurationEvent.CM_UPDATED) {
            runtime.runtime().runInBackground("wharf-config-files", () -> keep(pid, event.getFactoryPid()));
        } else if (event.getType() == ConfigurationEvent.CM_DELETED) {
            Path file = written.remove(pid);
            if (file != null) {
                runtime.runtime().runInBackground("wharf-config-files", () -> forget(pid, file));
            }
        }
    }

    /** Ties a configuration that has no file to a new one in the folder and writes it there. */
    void keep(String pid, String factoryPid) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + pid + ")");
            if (found == null || found.length == 0) {
                return;
            }
            Configuration config = found[0];
            Dictionary<String, Object> properties = config.getProperties();
            if (properties == null || properties.get(CfgFile.FILENAME) != null
                    || clearPassword(factoryPid, properties)) {
                return; // from a file already, or a user whose hash is still to come
            }
            String base = factoryPid == null ? pid : factoryPid + "-" + fileName(properties.get("name"));
            Path file = freeFile(base);
            // The configuration learns its file first, so that FileInstall, finding the file, updates this
            // configuration instead of making a second one from it.
            properties.put(CfgFile.FILENAME, file.toFile().getAbsoluteFile().toURI().toString());
            config.update(properties);
            write(file, properties);
            written.put(pid, file);
            LOG.info(() -> "configuration " + pid + ", made outside " + folder + ", kept in " + file);
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.log(Level.WARNING, "configuration " + pid + " could not be kept as a file in " + folder
                    + "; it is lost at the next restart unless written there by hand: " + e.getMessage());
        }
    }

    private void forget(String pid, Path file) {
        try {
            Files.deleteIfExists(file);
            LOG.info(() -> "configuration " + pid + " deleted, and with it " + file);
        } catch (IOException e) {
            LOG.warning("configuration " + pid + " was deleted, but its file " + file + " could not be: "
                    + e.getMessage() + "; delete it, or it comes back at the next restart");
        }
    }

    private static boolean clearPassword(String factoryPid, Dictionary<String, Object> properties) {
        Object password = properties.get("password");
        return "dev.wharf.ftp.user".equals(factoryPid) && password != null
                && !PasswordHashing.isHash(password.toString());
    }

    /** A factory configuration's name as part of a file name. */
    private static String fileName(Object name) {
        String text = name == null ? "" : name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return text.isBlank() ? "unnamed" : text;
    }

    /** {@code <base>.cfg} ({@code <factoryPid>-<name>} or a plain PID), with a number added when taken. */
    private Path freeFile(String base) {
        Path file = folder.resolve(base + ".cfg");
        for (int n = 2; Files.exists(file); n++) {
            file = folder.resolve(base + "-" + n + ".cfg");
        }
        return file;
    }

    /** The properties as a .cfg file (ISO-8859-1, escaped as java.util.Properties does), written whole at once. */
    private void write(Path file, Dictionary<String, Object> properties) throws IOException {
        Properties out = new Properties();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!key.equals(Constants.SERVICE_PID) && !key.equals(ConfigurationAdmin.SERVICE_FACTORYPID)
                    && !key.equals(CfgFile.FILENAME) && !key.equals(ConfigurationAdmin.SERVICE_BUNDLELOCATION)) {
                out.setProperty(key, ConfigReader.shown(properties.get(key)));
            }
        }
        Path temp = Files.createTempFile(folder, ".wharf-", ".tmp"); // not *.cfg: FileInstall does not read it
        try {
            try (OutputStream stream = Files.newOutputStream(temp)) {
                out.store(stream, "made in the Web Console or a shell; kept here by Wharf");
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
