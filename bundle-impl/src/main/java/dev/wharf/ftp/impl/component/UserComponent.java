package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import dev.wharf.ftp.impl.auth.PasswordHashing;
import dev.wharf.ftp.impl.auth.VerifiedPassword;
import java.io.IOException;
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
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One user ({@code dev.wharf.ftp.user}), published as a {@link UserStore} that knows exactly this user. A
 * clear-text password in the configuration is hashed at once and the hash written back through ConfigAdmin, so
 * the clear text does not stay in the configuration (nor, through FileInstall, in the .cfg file).
 */
@Component(configurationPid = "dev.wharf.ftp.user", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = UserStore.class)
@Designate(ocd = UserComponent.Config.class, factory = true)
public class UserComponent implements UserStore {

    private static final Logger LOG = Logger.getLogger(UserComponent.class.getName());

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
                options = {@Option(label = "Certificate and password both required", value = "certificate-and-password"),
                    @Option(label = "Certificate alone (no password asked)", value = "certificate")})
        String certificate_login() default "certificate-and-password";

        String webconsole_configurationFactory_nameHint() default "User {name}";
    }

    private final String name;
    private final VerifiedPassword password;
    private final boolean enabled;
    private final UserAccount account;

    @Activate
    public UserComponent(Config config, Map<String, Object> properties, @Reference ConfigurationAdmin configAdmin) {
        this.name = config.name() == null ? "" : config.name().trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("user configuration " + properties.get(Constants.SERVICE_PID)
                    + " has no 'name'");
        }
        String home = ConfigValues.blankToNull(config.home());
        if (home == null) {
            throw new IllegalArgumentException("user '" + name + "' has no 'home' directory");
        }
        String configured = config.password();
        if (configured == null || configured.isEmpty()) {
            LOG.warning("user '" + name + "' has no password and cannot log in with one");
            this.password = null;
        } else if (PasswordHashing.isHash(configured)) {
            this.password = new VerifiedPassword(configured);
        } else {
            String hash = PasswordHashing.hash(configured.toCharArray());
            this.password = new VerifiedPassword(hash);
            writeBackHash(configAdmin, (String) properties.get(Constants.SERVICE_PID), hash);
        }
        this.enabled = config.enabled();
        String subject = ConfigValues.blankToNull(config.certificate_subject());
        this.account = UserAccount.builder(name, Path.of(home))
                .writable(config.write())
                .maxSessions(config.max_sessions())
                .maxSessionsPerIp(config.max_sessions_per_ip())
                .idleTimeoutSeconds(config.idle_timeout())
                .tlsRequired(choice("tls.required", config.tls_required(), TlsRequirement.class))
                .certificate(subject == null ? null : principal(subject),
                        choice("certificate.login", config.certificate_login().replace('-', '_'),
                                UserAccount.CertificateLogin.class))
                .build();
    }

    private <E extends Enum<E>> E choice(String key, String value, Class<E> type) {
        try {
            return ConfigValues.choice(key, value, type);
        } catch (IllegalArgumentException e) {
            LOG.severe("user '" + name + "' not loaded: " + e.getMessage().replace('_', '-'));
            throw e;
        }
    }

    private X500Principal principal(String subject) {
        try {
            return new X500Principal(subject);
        } catch (IllegalArgumentException e) {
            LOG.severe("user '" + name + "' not loaded: 'certificate.subject' is not a distinguished name: " + subject);
            throw e;
        }
    }

    /** Replaces the clear password in the stored configuration; done off the activation thread. */
    private void writeBackHash(ConfigurationAdmin configAdmin, String pid, String hash) {
        Thread t = new Thread(() -> {
            try {
                Configuration[] found = configAdmin.listConfigurations(
                        "(" + Constants.SERVICE_PID + "=" + pid + ")");
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
        }, "wharf-hash-writeback");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public Optional<UserAccount> find(String userName) {
        return enabled && name.equals(userName) ? Optional.of(account) : Optional.empty();
    }

    @Override
    public Optional<UserAccount> authenticate(String userName, char[] password) {
        if (!enabled || this.password == null || !name.equals(userName)) {
            return Optional.empty();
        }
        return this.password.matches(password) ? Optional.of(account) : Optional.empty();
    }
}
