package dev.wharf.ftp.shell;

import dev.wharf.ftp.api.PasswordHasher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.Hashtable;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * wharf:user-add: a new {@code dev.wharf.ftp.user} configuration in ConfigAdmin and, in Karaf, its file
 * {@code etc/dev.wharf.ftp.user-<name>.cfg}, as Karaf's own config commands keep them: the configuration first,
 * naming the file (so that FileInstall, finding the file, updates that configuration rather than adding a second),
 * then the file. The password is hashed before anything is written, so no clear text reaches either.
 */
@Command(scope = "wharf", name = "user-add", description = "Adds an FTP user (etc/dev.wharf.ftp.user-<name>.cfg); "
        + "asks for the password without echo and stores only its hash.")
@Service
public class UserAddCommand implements Action {

    @Reference
    BundleContext context;

    @Reference
    Session session;

    @Reference
    ConfigurationAdmin configAdmin;

    @Reference
    PasswordHasher hasher;

    @Argument(index = 0, name = "name", description = "The login name", required = true)
    String name;

    @Option(name = "--home", description = "The user's home directory (created at first use); "
            + "default: data/wharf/home/<name> of this Karaf")
    String home;

    @Option(name = "--write", aliases = "-w", description = "May upload, delete, rename and create directories")
    boolean write;

    @Option(name = "--hash", description = "An Argon2id hash from wharf:hash-password instead of asking for the "
            + "password")
    String hash;

    @Override
    public Object execute() throws Exception {
        if (!name.matches("[\\p{L}\\p{N}._@+-]{1,64}")) {
            System.err.println("'" + name + "' is not a usable login name: letters, digits and . _ @ + - "
                    + "(at most 64).");
            return null;
        }
        if (Users.configured(configAdmin).stream().anyMatch(u -> u.name().equals(name))) {
            System.err.println("User " + name + " exists already (see wharf:user-list).");
            return null;
        }
        if (hash != null && !hash.startsWith("$argon2id$")) {
            System.err.println("--hash takes the output of wharf:hash-password ($argon2id$...).");
            return null;
        }
        String stored = hash != null ? hash : hashOfPrompted();
        if (stored == null) {
            System.err.println("No password given; the user was not added.");
            return null;
        }
        Path homeDir = home != null ? Path.of(home).toAbsolutePath() : defaultHome();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("name", name);
        props.put("password", stored);
        props.put("home", homeDir.toString());
        // text, as a .cfg file gives it: FileInstall may write this configuration back into the file, and a
        // Boolean would make it switch the whole file to its typed format (write = B"true", quoted values)
        props.put("write", Boolean.toString(write));
        String etc = context.getProperty("karaf.etc");
        // the dash form: FileInstall reads it back as a factory configuration
        Path file = etc == null ? null : Path.of(etc, Users.FACTORY_PID + "-" + name + ".cfg");
        if (file != null && Files.exists(file)) {
            System.err.println(file + " exists already.");
            return null;
        }
        Configuration c = configAdmin.createFactoryConfiguration(Users.FACTORY_PID, "?");
        if (file != null) {
            props.put("felix.fileinstall.filename", file.toUri().toString());
        }
        c.update(props);
        if (file != null) {
            writeFile(file, homeDir, stored);
        }
        System.out.println("User " + name + " added, home " + homeDir + (write ? ", may write" : ", read-only")
                + (file != null ? " (" + file + ")" : ""));
        return null;
    }

    /** The .cfg file, written whole under another name and moved into place, so that nobody reads half of it. */
    private void writeFile(Path file, Path homeDir, String stored) throws java.io.IOException {
        String text = "# added by wharf:user-add\nname = " + escape(name) + "\npassword = " + escape(stored)
                + "\nhome = " + escape(homeDir.toString()) + "\nwrite = " + write + "\n";
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A value as a .cfg (properties) file holds it: backslashes escaped. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }

    private String hashOfPrompted() throws java.io.IOException {
        char[] password = PasswordInput.read(session);
        if (password == null) {
            return null;
        }
        try {
            return hasher.hash(password);
        } finally {
            PasswordInput.clear(password);
        }
    }

    private Path defaultHome() {
        String data = context.getProperty("karaf.data");
        return Path.of(data != null ? data : ".", "wharf", "home", name).toAbsolutePath();
    }
}
