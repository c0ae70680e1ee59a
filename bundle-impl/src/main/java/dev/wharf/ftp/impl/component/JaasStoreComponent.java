package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import dev.wharf.ftp.impl.auth.JaasUserStore;
import dev.wharf.ftp.impl.auth.LdapGroups;
import dev.wharf.ftp.impl.auth.LoginConfigFile;
import dev.wharf.ftp.impl.auth.RealmAccounts;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.x500.X500Principal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The users of a JAAS realm ({@code dev.wharf.ftp.jaas}), published as a {@link UserStore}: in Karaf any realm
 * (its {@code karaf} realm over {@code users.properties}, an LDAP or JDBC realm) by name; anywhere, an entry of a
 * JAAS login configuration file ({@code login.config}, e.g. the JDK's LdapLoginModule). A changed configuration
 * replaces the store, and with it every remembered login.
 */
@Component(configurationPid = "dev.wharf.ftp.jaas", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = UserStore.class, immediate = true)
@Designate(ocd = JaasStoreComponent.Config.class, factory = true)
public final class JaasStoreComponent implements UserStore {

    private static final Logger LOG = Logger.getLogger(JaasStoreComponent.class.getName());

    @ObjectClassDefinition(name = "Wharf FTP: JAAS user store",
            description = "FTP users from a JAAS realm (Karaf's realms, LDAP, JDBC): the realm checks passwords, "
                    + "its roles or groups grant login and write access.")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "Names this store in the log.")
        String name();

        @AttributeDefinition(name = "Realm",
                description = "The JAAS realm, or the entry of the login configuration, e.g. karaf.")
        String realm();

        @AttributeDefinition(name = "Login configuration file", required = false,
                description = "A JAAS login configuration file that defines the realm (e.g. with the JDK's "
                        + "com.sun.security.auth.module.LdapLoginModule); empty: the JVM's (in Karaf: every "
                        + "realm Karaf knows).")
        String login_config() default "";

        @AttributeDefinition(name = "Home directory",
                description = "The users' virtual root; {user} stands for the login name, e.g. /srv/ftp/{user}.")
        String home();

        @AttributeDefinition(name = "Create missing homes",
                description = "Create a user's home at the first login; off: a user without a home cannot log in.")
        boolean home_create() default true;

        @AttributeDefinition(name = "Login role", required = false,
                description = "The role or group a user must have to log in; empty: any user the realm accepts.")
        String login_role() default "";

        @AttributeDefinition(name = "Write role", required = false,
                description = "The role or group that may upload, delete, rename and create directories; empty: "
                        + "nobody.")
        String write_role() default "";

        @AttributeDefinition(name = "LDAP group base", required = false,
                description = "For realms that report no groups (the JDK's LdapLoginModule): where to search the "
                        + "user's groups, e.g. ou=groups,dc=example,dc=org, in the directory of the realm's "
                        + "userProvider. Empty: roles and groups come from the realm only.")
        String group_base() default "";

        @AttributeDefinition(name = "LDAP group filter",
                description = "{dn} is the user's DN, {user} the login name.")
        String group_filter() default LdapGroups.DEFAULT_FILTER;

        @AttributeDefinition(name = "LDAP group name attribute")
        String group_attribute() default "cn";

        @AttributeDefinition(name = "Realm timeout (s)", min = "1", max = "25",
                description = "A realm that has not answered within this long refuses the login (530). At most 25: "
                        + "the server gives any password check 30 s in all.")
        int timeout() default 10;

        @AttributeDefinition(name = "Remember logins (s)", min = "0", max = "86400",
                description = "How long a successful login is remembered, so that repeated logins do not each "
                        + "reach the realm; a user removed from the realm can log in until then. 0: ask every time.")
        int cache_seconds() default 60;

        @AttributeDefinition(name = "TLS required",
                description = "Tightens the listener's tls.required for these users; it can never loosen it.",
                options = {@Option(label = "As the listener", value = "none"),
                    @Option(label = "On the control connection", value = "control"),
                    @Option(label = "On control and data connections", value = "all")})
        String tls_required() default "none";

        @AttributeDefinition(name = "Max sessions per user", min = "0", description = "0 = unlimited.")
        int max_sessions() default 0;

        @AttributeDefinition(name = "Max sessions per user and IP", min = "0", description = "0 = unlimited.")
        int max_sessions_per_ip() default 0;

        @AttributeDefinition(name = "Idle timeout (s)", min = "0", description = "0 = the listener's.")
        int idle_timeout() default 0;

        @AttributeDefinition(name = "Client certificate subject", required = false,
                description = "A client certificate each user must present besides the password; {user} stands "
                        + "for the login name, e.g. CN={user},O=Example. Empty: none.")
        String certificate_subject() default "";

        String webconsole_configurationFactory_nameHint() default "JAAS users of realm {realm}";
    }

    /** The store of the current configuration; null while it has problems (nobody logs in). */
    private volatile JaasUserStore store;
    /** Stores replaced by a change whose realm calls under way may still finish; closed at deactivation. */
    private final List<JaasUserStore> retired = new CopyOnWriteArrayList<>();

    @Activate
    public JaasStoreComponent(Map<String, Object> properties) {
        this.store = open(properties);
    }

    /**
     * A changed configuration applies in place: deactivating would unregister this store, and a login at that
     * moment would be refused as if its user did not exist. Logins the old store is checking with the realm finish
     * there; remembered logins start afresh with the new store.
     */
    @Modified
    void modified(Map<String, Object> properties) {
        JaasUserStore before = store;
        store = open(properties);
        retired.removeIf(JaasUserStore::finished);
        if (before != null) {
            before.retire();
            retired.add(before);
        }
    }

    private static JaasUserStore open(Map<String, Object> properties) {
        ConfigReader config = new ConfigReader(Config.class, properties);
        config.unknownKeys().forEach(LOG::warning);
        String name = required(config, "name");
        String realm = required(config, "realm");
        Path loginConfig = config.path("login.config");
        JaasUserStore.ConfigurationSource source = loginConfig == null ? Configuration::getConfiguration
                : new LoginConfigFile(loginConfig)::current;
        RealmAccounts accounts = accounts(config);
        LdapGroups groups = groups(config, source, realm);
        JaasUserStore.Realm settings = new JaasUserStore.Realm(name, realm, source,
                config.integer("timeout", 1, 25) * 1000, config.integer("cache.seconds", 0, 86_400) * 1_000_000_000L,
                groups);
        String who = "JAAS user store '" + name + "'";
        if (!config.problems().isEmpty()) {
            config.problems().forEach(p -> LOG.severe(p + "; " + who + " lets nobody log in until this is fixed"));
            return null;
        }
        LOG.info(() -> who + " uses realm '" + realm + "'" + (loginConfig == null ? "" : " of " + loginConfig));
        if (loginConfig != null) {
            checkLoginConfig(config, source, realm, who);
        }
        return new JaasUserStore(settings, accounts);
    }

    /**
     * Says at once when the login configuration file cannot be used; not fatal, as the file is read again when
     * it changes and logins work from then on.
     */
    private static void checkLoginConfig(ConfigReader config, JaasUserStore.ConfigurationSource source,
            String realm, String who) {
        try {
            if (source.current().getAppConfigurationEntry(realm) == null) {
                LOG.severe(config.source() + ": 'realm' is '" + realm + "', which 'login.config' does not define; "
                        + who + " lets nobody log in until it does");
            }
        } catch (IOException e) {
            LOG.severe(config.source() + ": 'login.config': " + e.getMessage() + "; " + who
                    + " lets nobody log in until it can be read");
        }
    }

    private static String required(ConfigReader config, String key) {
        String value = config.optionalText(key);
        if (value == null) {
            config.problem(key, "is missing");
            return "?";
        }
        return value;
    }

    private static RealmAccounts accounts(ConfigReader config) {
        String home = required(config, "home");
        try {
            if (!home.equals("?") && !RealmAccounts.hasUser(home)) {
                // a ${user} in a .cfg file was replaced (by nothing) before it got here
                config.problem("home", "is '" + home + "', which has no {user}: every user would share one home; "
                        + "write it as /srv/ftp/{user} (in a .cfg file, ${user} is replaced before Wharf reads it)");
            } else if (!home.equals("?") && !Path.of(RealmAccounts.fill(home, "user")).isAbsolute()) {
                config.problem("home", "is '" + home + "', not an absolute path such as /srv/ftp/{user}");
            }
        } catch (InvalidPathException e) {
            config.problem("home", "is '" + home + "', not a usable path: " + e.getReason());
        }
        String subject = config.optionalText("certificate.subject");
        if (subject != null) {
            try {
                new X500Principal(RealmAccounts.fill(subject, "user"));
            } catch (IllegalArgumentException e) {
                config.problem("certificate.subject", "is '" + subject + "', not a distinguished name such as "
                        + "CN={user},O=Example");
            }
        }
        return new RealmAccounts(home, config.bool("home.create"), config.optionalText("login.role"),
                config.optionalText("write.role"), config.choice("tls.required", TlsRequirement.class),
                config.integer("max.sessions", 0, Integer.MAX_VALUE),
                config.integer("max.sessions.per.ip", 0, Integer.MAX_VALUE),
                config.integer("idle.timeout", 0, Integer.MAX_VALUE), subject);
    }

    /**
     * The LDAP group search, when group.base is set: in the directory the realm's login module authenticates
     * against (its userProvider or connection.url option).
     */
    private static LdapGroups groups(ConfigReader config, JaasUserStore.ConfigurationSource source, String realm) {
        String base = config.optionalText("group.base");
        if (base == null) {
            return null;
        }
        String url = null;
        try {
            AppConfigurationEntry[] entries = source.current().getAppConfigurationEntry(realm);
            for (int i = 0; entries != null && i < entries.length && url == null; i++) {
                Object provider = entries[i].getOptions().get("userProvider");
                url = provider != null ? provider.toString() : (String) entries[i].getOptions().get("connection.url");
            }
        } catch (IOException | SecurityException e) {
            return null; // said by the login.config check, or at login
        }
        if (url == null) {
            config.problem("group.base", "is set, but realm '" + realm + "' names no LDAP directory (no "
                    + "userProvider or connection.url option) to search for groups");
            return null;
        }
        try {
            return new LdapGroups(LdapGroups.serverOf(url), base, config.text("group.filter"),
                    config.text("group.attribute"));
        } catch (IllegalArgumentException e) {
            config.problem("group.base", "is set, but the realm's directory " + e.getMessage());
            return null;
        }
    }

    @Deactivate
    void deactivate() {
        JaasUserStore last = store;
        if (last != null) {
            last.close();
        }
        retired.forEach(JaasUserStore::close);
        retired.clear();
    }

    @Override
    public Optional<UserAccount> authenticate(String userName, char[] password) {
        JaasUserStore current = store;
        return current == null ? Optional.empty() : current.authenticate(userName, password);
    }

    @Override
    public Optional<UserAccount> find(String userName) {
        JaasUserStore current = store;
        return current == null ? Optional.empty() : current.find(userName);
    }
}
