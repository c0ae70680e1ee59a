package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import dev.wharf.ftp.impl.auth.PasswordHashing;
import dev.wharf.ftp.impl.auth.VerifiedPassword;
import dev.wharf.ftp.impl.fs.FileModes;
import dev.wharf.ftp.impl.fs.HomeDirectory;
import dev.wharf.ftp.impl.net.ServerRuntime;
import dev.wharf.ftp.impl.settings.ByteSize;
import dev.wharf.ftp.impl.settings.IpFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.security.auth.x500.X500Principal;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
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
 * text does not stay on disk nor in the configuration. Immediate, so
 * that this happens when the file appears, not only once a listener asks for users. Deleting the configuration, or
 * disabling the user, ends the user's sessions on every listener.
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

    private final String name;
    private final VerifiedPassword password;
    private final boolean usable;
    private final boolean enabled;
    private final UserAccount account;
    private final ServerRuntime runtime;
    /** Writing the hash over a clear-text password in the .cfg file, while that goes on; else null. */
    private volatile HashWriteBack hashWriteBack;

    @Activate
    public UserComponent(Map<String, Object> properties, @Reference ConfigurationAdmin configAdmin,
            @Reference ServerRuntimeComponent runtime) {
        this.runtime = runtime.runtime();
        ConfigReader config = new ConfigReader(Config.class, properties);
        config.unknownKeys().forEach(LOG::warning);
        this.name = config.text("name") == null ? "" : config.text("name");
        if (name.isEmpty()) {
            config.problem("name", "is missing; every user needs a login name");
        }
        this.password = password(config, (String) properties.get(Constants.SERVICE_PID), CfgFile.of(properties),
                configAdmin, runtime.runtime());
        Path home = config.path("home");
        if (home == null && config.optionalText("home") == null) {
            config.problem("home", "is missing; every user needs a home directory (an absolute path)");
        }
        String subject = config.optionalText("certificate.subject");
        X500Principal principal = subject == null ? null : principal(config, subject);
        UserAccount.Builder builder = UserAccount.builder(name.isEmpty() ? "?" : name,
                home != null ? home : Path.of("")) // unusable anyway: the problem is recorded
                .writable(config.bool("write"))
                .maxSessions(config.integer("max.sessions", 0, Integer.MAX_VALUE))
                .maxSessionsPerIp(config.integer("max.sessions.per.ip", 0, Integer.MAX_VALUE))
                .idleTimeoutSeconds(config.integer("idle.timeout", 0, Integer.MAX_VALUE))
                .tlsRequired(config.choice("tls.required", TlsRequirement.class))
                .certificate(principal, config.choice("certificate.login", UserAccount.CertificateLogin.class));
        limits(config, builder);
        this.enabled = config.bool("enabled");
        this.account = builder.build();
        this.usable = config.problems().isEmpty() && this.enabled;
        String who = name.isEmpty() ? "this user" : "user '" + name + "'";
        config.problems().forEach(p -> LOG.severe(p + "; " + who + " cannot log in until this is fixed"));
        if (usable) {
            HomeDirectory.check(account, config.source()).ifPresent(LOG::severe);
        }
        if (!enabled && !name.isEmpty()) {
            endSessions("disabled");
        }
    }

    /** The configuration was deleted (or the component disabled): the user's sessions end with it. */
    @Deactivate
    void deactivate(int reason) {
        HashWriteBack writeBack = hashWriteBack;
        if (writeBack != null) {
            writeBack.cancel(); // replaced by a configuration with the hash, or gone
        }
        if ((reason == DEACTIVATED_BY_DELETION || reason == DEACTIVATED_BY_DISABLING) && !name.isEmpty()) {
            endSessions("removed");
        }
    }

    private void endSessions(String what) {
        int ended = runtime.endSessionsOf(name, "because the account was " + what);
        if (ended > 0) {
            LOG.info(() -> "user '" + name + "' " + what + ": " + ended + " of the user's sessions ended");
        }
    }

    /**
     * The password the user logs in with. A clear-text value is hashed at once and the hash written back (into the
     * .cfg file FileInstall read, else through ConfigAdmin), whatever else is wrong with the configuration, so that
     * the clear text never stays on disk.
     */
    private VerifiedPassword password(ConfigReader config, String pid, Path file, ConfigurationAdmin configAdmin,
            ServerRuntime runtime) {
        char[] configured = config.secret("password");
        if (configured == null) {
            LOG.warning(config.source() + ": 'password' is empty; " + (name.isEmpty() ? "the user" : "user '" + name
                    + "'") + " cannot log in with a password");
            return null;
        }
        String value = new String(configured);
        if (PasswordHashing.isHash(value)) {
            return new VerifiedPassword(value);
        }
        String hash = PasswordHashing.hash(configured);
        java.util.Arrays.fill(configured, '\0');
        if (file != null && Files.isRegularFile(file)) {
            hashWriteBack = HashWriteBack.start(runtime, file, hash, name.isEmpty() ? "a user without a name"
                    : "user '" + name + "'");
        } else if (pid != null) {
            runtime.runInBackground("wharf-hash-writeback", () -> writeBackHash(configAdmin, pid, hash));
        }
        return new VerifiedPassword(hash);
    }

    /** The user's limits: rates, quota, addresses and umask; values that do not fit are recorded in the reader. */
    static UserAccount.Builder limits(ConfigReader config, UserAccount.Builder builder) {
        return builder.uploadRate(config.parsed("upload.rate", ByteSize::parseOptional, -1L))
                .downloadRate(config.parsed("download.rate", ByteSize::parseOptional, -1L))
                .quota(config.parsed("quota.bytes", ByteSize::parse, 0L), config.integer("quota.files", 0,
                        Integer.MAX_VALUE))
                .addresses(addresses(config, "allow"), addresses(config, "deny"))
                .umask(config.parsed("umask", u -> u == null || u.isBlank() ? -1 : FileModes.parseUmask(u), -1));
    }

    /** A CIDR list, each entry checked; a bad one is this configuration's problem. */
    private static java.util.List<String> addresses(ConfigReader config, String key) {
        java.util.List<String> entries = config.list(key);
        return config.parsed(key, v -> {
            IpFilter.parse(String.join(",", entries), "");
            return entries;
        }, java.util.List.of());
    }

    private X500Principal principal(ConfigReader config, String subject) {
        try {
            return new X500Principal(subject);
        } catch (IllegalArgumentException e) {
            config.problem("certificate.subject", "is '" + subject + "', not a distinguished name such as "
                    + "CN=alice,O=Example");
            return null;
        }
    }

    /** Replaces the clear password in the stored configuration (no file: ConfigAdmin's own store). */
    private void writeBackHash(ConfigurationAdmin configAdmin, String pid, String hash) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + pid + ")");
            if (found == null || found.length == 0) {
                return;
            }
            Dictionary<String, Object> props = found[0].getProperties();
            props.put("password", hash);
            found[0].updateIfDifferent(props);
            LOG.info(() -> "user '" + name + "': clear-text password replaced by its hash in the configuration");
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.log(Level.SEVERE, "user '" + name + "': could not replace the clear-text password in "
                    + "configuration " + pid + "; replace it with the output of 'wharf hash-password'", e);
        }
    }

    @Override
    public boolean disabled(String userName) {
        return !enabled && name.equals(userName);
    }

    @Override
    public Optional<UserAccount> find(String userName) {
        return usable && name.equals(userName) ? Optional.of(account) : Optional.empty();
    }

    @Override
    public Optional<UserAccount> authenticate(String userName, char[] password) {
        if (!usable || this.password == null || !name.equals(userName)) {
            return Optional.empty();
        }
        return this.password.matches(password) ? Optional.of(account) : Optional.empty();
    }
}
