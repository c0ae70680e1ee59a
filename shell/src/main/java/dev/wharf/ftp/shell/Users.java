package dev.wharf.ftp.shell;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.List;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The users configured through ConfigAdmin ({@code dev.wharf.ftp.user} factory configurations). */
final class Users {

    static final String FACTORY_PID = "dev.wharf.ftp.user";

    private Users() {
    }

    /** What user-list shows of one user; never the password. */
    record User(String name, String home, boolean write, boolean enabled, Configuration configuration) {
    }

    static List<User> configured(ConfigurationAdmin configAdmin) {
        List<User> out = new ArrayList<>();
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.factoryPid=" + FACTORY_PID + ")");
            for (Configuration c : found == null ? new Configuration[0] : found) {
                Dictionary<String, Object> p = c.getProperties();
                if (p != null && p.get("name") != null) {
                    out.add(new User(String.valueOf(p.get("name")), String.valueOf(p.get("home")),
                            Boolean.parseBoolean(String.valueOf(p.get("write"))),
                            p.get("enabled") == null || Boolean.parseBoolean(String.valueOf(p.get("enabled"))), c));
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot list the user configurations: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(User::name));
        return out;
    }
}
