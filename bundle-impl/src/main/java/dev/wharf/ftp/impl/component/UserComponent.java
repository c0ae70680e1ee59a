package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import dev.wharf.ftp.impl.net.ServerRuntime;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One user ({@code dev.wharf.ftp.user}), published as a {@link UserStore} that knows exactly this user. A
 * clear-text password in the configuration is hashed at once and the hash written back into the .cfg file
 * FileInstall read ({@link HashWriteBack}), or through ConfigAdmin for a configuration without one, so the clear
 * text does not stay on disk nor in the configuration ({@link ConfiguredUser}). Immediate, so that this happens
 * when the file appears, not only once a listener asks for users. A changed configuration applies in place;
 * deleting it, or disabling the user, ends the user's sessions on every listener.
 */
@Component(configurationPid = "dev.wharf.ftp.user", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = UserStore.class, immediate = true)
@Designate(ocd = UserComponent.Config.class, factory = true)
public class UserComponent implements UserStore {

    private static final Logger LOG = Logger.getLogger(UserComponent.class.getName());
    // ComponentConstants.DEACTIVATION_REASON_DISABLED and _CONFIGURATION_DELETED (DS 1.1 on), as numbers: the
    // constants' package is SCR's runtime API, which this bundle does not import otherwise.
    private static final int DEACTIVATED_BY_DISABLING = 1;
    private static final int DEACTIVATED_BY_DELETION = 4;

    @ObjectClassDefinition(name = "Wharf FTP: user", description = "An FTP user with a home directory.")
    public @interface Config {
        @AttributeDefinition(name = "Login name")
        String name();

        @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD,
                description = "An Argon2id hash ($argon2id$...) as printed by 'wharf hash-password'; a clear-text "
                        + "value is replaced by its hash when the configuration is first loaded.")
        String password();

        @AttributeDefinition(name = "Home directory",
                description = "The user's virtual root; created if missing. Nothing outside it is reachable.")
        String home();

        @AttributeDefinition(name = "Write access", description = "May upload, delete, rename and create directories.")
        boolean write() default false;

        @AttributeDefinition(name = "Enabled")
        boolean enabled() default true;

        @AttributeDefinition(name = "Max sessions", min = "0", description = "0 = unlimited.")
        int max_sessions() default 0;

        @AttributeDefinition(name = "Max sessions per IP", min = "0", description = "0 = unlimited.")
        int max_sessions_per_ip() default 0;

        @AttributeDefinition(name = "Idle timeout (s)", min = "0", description = "0 = the listener's.")
        int idle_timeout() default 0;

        @AttributeDefinition(name = "TLS required",
                description = "Tightens the listener's tls.required for this user; it can never loosen it.",
                options = {@Option(label = "As the listener", value = "none"),
                    @Option(label = "On the control connection", value = "control"),
                    @Option(label = "On control and data connections", value = "all")})
        String tls_required() default "none";

        @AttributeDefinition(name = "Client certificate subject", required = false,
                description = "Subject DN of a client certificate that identifies this user, e.g. CN=alice,O=Example "
                        + "(the listener's SSL configuration needs a truststore and client.auth want or need).")
        String certificate_subject() default "";

        @AttributeDefinition(name = "Client certificate login",
                description = "What the certificate stands for.",
                options = {
                    @Option(label = "Certificate and password both required", value = "certificate-and-password"),
                    @Option(label = "Certificate alone (no password asked)", value = "certificate")})
        String certificate_login() default "certificate-and-password";

        @AttributeDefinition(name = "Upload rate (bytes/s)", required = false,
                description = "Limit for all of the user's uploads together: a number with an optional k or m "
                        + "(x1024), e.g. 512k; 0 = unlimited; empty = the listener's upload.rate.")
        String upload_rate() default "";

        @AttributeDefinition(name = "Download rate (bytes/s)", required = false,
                description = "Limit for all of the user's downloads together, e.g. 2m; 0 = unlimited; empty = the "
                        + "listener's download.rate.")
        String download_rate() default "";

        @AttributeDefinition(name = "Quota (bytes)",
                description = "What the home may hold, e.g. 500m or 10g; 0 = unlimited. Uploads beyond it end "
                        + "with 552 and leave nothing behind.")
        String quota_bytes() default "0";

        @AttributeDefinition(name = "Quota (files)", min = "0", description = "Files the home may hold; 0 = unlimited.")
        int quota_files() default 0;

        @AttributeDefinition(name = "Allow", required = false,
                description = "Addresses or CIDR blocks this user may log in from (comma separated), on top of the "
                        + "listener's allow/deny; empty: any.")
        String allow() default "";

        @AttributeDefinition(name = "Deny", required = false,
                description = "Addresses or CIDR blocks this user may not log in from (comma separated).")
        String deny() default "";

        @AttributeDefinition(name = "Umask", required = false,
                description = "Octal umask for the files and directories this user creates, e.g. 077 for "
                        + "private files; empty = the listener's umask.")
        String umask() default "";

        String webconsole_configurationFactory_nameHint() default "User {name}";
    }

    private final ConfigurationAdmin configAdmin;
    private final ServerRuntime runtime;
    /** What the configuration says now: replaced in place when it changes, so the user never goes missing. */
    private volatile ConfiguredUser user;

    @Activate
    public UserComponent(Map<String, Object> properties, @Reference ConfigurationAdmin configAdmin,
            @Reference ServerRuntimeComponent runtime) {
        this.configAdmin = configAdmin;
        this.runtime = runtime.runtime();
        this.user = ConfiguredUser.read(properties, configAdmin, this.runtime);
        if (!user.enabled() && !user.name().isEmpty()) {
            endSessions(user.name(), "disabled");
        }
    }

    /**
     * A changed configuration (a new password, the hash written back over a clear one, other limits) takes effect
     * without taking the user away: deactivating would unregister this store, and a login at that moment would
     * be refused as if the user did not exist. Sessions stay, except those of a user now disabled or renamed.
     */
    @Modified
    void modified(Map<String, Object> properties) {
        ConfiguredUser before = user;
        ConfiguredUser now = ConfiguredUser.read(properties, configAdmin, runtime);
        user = now;
        before.cancelWriteBack(); // replaced by a configuration with the hash, or by another password
        if (!before.name().isEmpty() && !before.name().equals(now.name())) {
            endSessions(before.name(), "renamed");
        } else if (before.enabled() && !now.enabled() && !now.name().isEmpty()) {
            endSessions(now.name(), "disabled");
        }
    }

    /** The configuration was deleted (or the component disabled): the user's sessions end with it. */
    @Deactivate
    void deactivate(int reason) {
        ConfiguredUser last = user;
        last.cancelWriteBack();
        if ((reason == DEACTIVATED_BY_DELETION || reason == DEACTIVATED_BY_DISABLING) && !last.name().isEmpty()) {
            endSessions(last.name(), "removed");
        }
    }

    private void endSessions(String name, String what) {
        int ended = runtime.endSessionsOf(name, "because the account was " + what);
        if (ended > 0) {
            LOG.info(() -> "user '" + name + "' " + what + ": " + ended + " of the user's sessions ended");
        }
    }

    @Override
    public boolean disabled(String userName) {
        return user.disabled(userName);
    }

    @Override
    public Optional<UserAccount> find(String userName) {
        return user.find(userName);
    }

    @Override
    public Optional<UserAccount> authenticate(String userName, char[] password) {
        return user.authenticate(userName, password);
    }
}
