package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.UserAccount;
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
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.security.auth.x500.X500Principal;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * One reading of a user's configuration ({@code dev.wharf.ftp.user}): the account, its password and whether it
 * may log in. Reading it logs what is wrong, and hashes a clear-text password at once, writing the hash back
 * (into the .cfg file FileInstall read, else through ConfigAdmin) whatever else is wrong, so that the clear text
 * never stays on disk.
 */
final class ConfiguredUser {

    private static final Logger LOG = Logger.getLogger(UserComponent.class.getName());

    private final String name;
    private final VerifiedPassword password;
    private final boolean usable;
    private final boolean enabled;
    private final UserAccount account;
    /** Writing the hash over a clear-text password in the .cfg file, while that goes on; else null. */
    private final HashWriteBack hashWriteBack;

    private ConfiguredUser(String name, VerifiedPassword password, boolean usable, boolean enabled,
            UserAccount account, HashWriteBack hashWriteBack) {
        this.name = name;
        this.password = password;
        this.usable = usable;
        this.enabled = enabled;
        this.account = account;
        this.hashWriteBack = hashWriteBack;
    }

    static ConfiguredUser read(Map<String, Object> properties, ConfigurationAdmin configAdmin,
            ServerRuntime runtime) {
        ConfigReader config = new ConfigReader(UserComponent.Config.class, properties);
        config.unknownKeys().forEach(LOG::warning);
        String name = config.text("name") == null ? "" : config.text("name");
        if (name.isEmpty()) {
            config.problem("name", "is missing; every user needs a login name");
        }
        HashWriteBack[] writeBack = {null};
        VerifiedPassword password = password(config, name, (String) properties.get(Constants.SERVICE_PID),
                CfgFile.of(properties), configAdmin, runtime, writeBack);
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
        boolean enabled = config.bool("enabled");
        UserAccount account = builder.build();
        boolean usable = config.problems().isEmpty() && enabled;
        String who = name.isEmpty() ? "this user" : "user '" + name + "'";
        config.problems().forEach(p -> LOG.severe(p + "; " + who + " cannot log in until this is fixed"));
        if (usable) {
            HomeDirectory.check(account, config.source()).ifPresent(LOG::severe);
        }
        return new ConfiguredUser(name, password, usable, enabled, account, writeBack[0]);
    }

    String name() {
        return name;
    }

    boolean enabled() {
        return enabled;
    }

    boolean disabled(String userName) {
        return !enabled && name.equals(userName);
    }

    Optional<UserAccount> find(String userName) {
        return usable && name.equals(userName) ? Optional.of(account) : Optional.empty();
    }

    Optional<UserAccount> authenticate(String userName, char[] given) {
        if (!usable || password == null || !name.equals(userName)) {
            return Optional.empty();
        }
        return password.matches(given) ? Optional.of(account) : Optional.empty();
    }

    /** Stops writing the hash back: a newer configuration (with the hash, or another password) replaced this one. */
    void cancelWriteBack() {
        if (hashWriteBack != null) {
            hashWriteBack.cancel();
        }
    }

    /** The password the user logs in with; a clear-text value is hashed and the hash written back. */
    private static VerifiedPassword password(ConfigReader config, String name, String pid, Path file,
            ConfigurationAdmin configAdmin, ServerRuntime runtime, HashWriteBack[] writeBack) {
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
        Arrays.fill(configured, '\0');
        if (file != null && Files.isRegularFile(file)) {
            writeBack[0] = HashWriteBack.start(runtime, file, hash, name.isEmpty() ? "a user without a name"
                    : "user '" + name + "'");
        } else if (pid != null) {
            runtime.runInBackground("wharf-hash-writeback", () -> writeBackHash(configAdmin, pid, name, hash));
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
    private static List<String> addresses(ConfigReader config, String key) {
        List<String> entries = config.list(key);
        return config.parsed(key, v -> {
            IpFilter.parse(String.join(",", entries), "");
            return entries;
        }, List.of());
    }

    private static X500Principal principal(ConfigReader config, String subject) {
        try {
            return new X500Principal(subject);
        } catch (IllegalArgumentException e) {
            config.problem("certificate.subject", "is '" + subject + "', not a distinguished name such as "
                    + "CN=alice,O=Example");
            return null;
        }
    }

    /** Replaces the clear password in the stored configuration (no file: ConfigAdmin's own store). */
    private static void writeBackHash(ConfigurationAdmin configAdmin, String pid, String name, String hash) {
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
}
