package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.api.SslConfiguration;
import dev.wharf.ftp.api.TlsSettings;
import dev.wharf.ftp.api.TlsSettings.ClientAuth;
import dev.wharf.ftp.impl.management.MBeans;
import dev.wharf.ftp.impl.management.TlsConfigurationManagement;
import dev.wharf.ftp.impl.tls.CertificateExpiry;
import dev.wharf.ftp.impl.tls.ReloadingSslConfiguration;
import dev.wharf.ftp.impl.tls.TlsSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
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
 * A named TLS configuration ({@code dev.wharf.ftp.ssl}), published as {@link SslConfiguration} with its
 * {@code name} as a service property. Updates and key files changing on disk reach new sessions only. A served
 * certificate that expires within expiry.warning.days is a WARNING at start and once a day, and JMX shows its
 * expiry as {@code dev.wharf:type=TlsConfiguration,name=<name>}.
 */
@Component(configurationPid = "dev.wharf.ftp.ssl", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = SslConfiguration.class)
@Designate(ocd = SslConfigurationComponent.Config.class, factory = true)
public class SslConfigurationComponent implements SslConfiguration {

    private static final Logger LOG = Logger.getLogger(SslConfigurationComponent.class.getName());

    @ObjectClassDefinition(name = "Wharf FTP: TLS configuration",
            description = "Key material and TLS parameters that listeners use for FTPS, selected by name.")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "How listeners refer to this configuration: "
                + "a listener's ssl.target (name=...) filter.")
        String name() default "default";

        @AttributeDefinition(name = "Keystore", required = false,
                description = "PKCS12 or JKS file with the server's private key and certificate chain.")
        String keystore() default "";

        @AttributeDefinition(name = "Keystore type", required = false,
                description = "Leave empty to detect it from the file.",
                options = {@Option(label = "Detect from file", value = ""), @Option(label = "PKCS12", value = "PKCS12"),
                    @Option(label = "JKS", value = "JKS")})
        String keystore_type() default "";

        @AttributeDefinition(name = "Keystore password", type = AttributeType.PASSWORD, required = false)
        String keystore_password() default "";

        @AttributeDefinition(name = "Key alias", required = false,
                description = "The key entry to use; empty: the first key in the keystore.")
        String key_alias() default "";

        @AttributeDefinition(name = "Key password", type = AttributeType.PASSWORD, required = false,
                description = "Empty: the keystore password.")
        String key_password() default "";

        @AttributeDefinition(name = "Certificate (PEM)", required = false,
                description = "PEM certificate chain, server certificate first; the alternative to a keystore.")
        String certificate() default "";

        @AttributeDefinition(name = "Private key (PEM)", required = false,
                description = "Unencrypted PKCS#8, PKCS#1 (RSA) or SEC1 (EC) PEM private key for the certificate.")
        String private_key() default "";

        @AttributeDefinition(name = "Truststore", required = false,
                description = "CAs whose client certificates are accepted (needed for client.auth want/need).")
        String truststore() default "";

        @AttributeDefinition(name = "Truststore type", required = false,
                options = {@Option(label = "Detect from file", value = ""), @Option(label = "PKCS12", value = "PKCS12"),
                    @Option(label = "JKS", value = "JKS")})
        String truststore_type() default "";

        @AttributeDefinition(name = "Truststore password", type = AttributeType.PASSWORD, required = false)
        String truststore_password() default "";

        @AttributeDefinition(name = "Client certificates",
                description = "Whether clients are asked for a certificate.",
                options = {@Option(label = "Not requested", value = "none"),
                    @Option(label = "Requested (optional)", value = "want"),
                    @Option(label = "Required", value = "need")})
        String client_auth() default "none";

        @AttributeDefinition(name = "Protocols", description = "Enabled TLS versions: TLSv1.3 and/or TLSv1.2.")
        String[] protocols() default {"TLSv1.3", "TLSv1.2"};

        @AttributeDefinition(name = "Cipher suites", required = false,
                description = "Enabled cipher suites, the server's favourite first (its order decides, not the "
                        + "client's); empty: AES-128-GCM, then AES-256-GCM, with forward secrecy.")
        String[] cipher_suites() default {};

        @AttributeDefinition(name = "Self-signed",
                description = "Without key material, generate a self-signed certificate once and keep it.")
        boolean self_signed() default false;

        @AttributeDefinition(name = "Expiry warning (days)", min = "0", max = "3650",
                description = "Warn at start and once a day when the served certificate expires within this many "
                        + "days; 0: never.")
        int expiry_warning_days() default 30;

        String webconsole_configurationFactory_nameHint() default "TLS {name}";
    }

    private static final long DAY_SECONDS = 24 * 60 * 60;

    private final Path selfSignedDirectory;
    private final ReloadingSslConfiguration delegate;
    private final String source;
    private volatile int warningDays;
    private final ScheduledFuture<?> dailyCheck;
    private final MBeans.Registration mbean;

    @Activate
    public SslConfigurationComponent(BundleContext context, Map<String, Object> properties,
            @Reference ServerRuntimeComponent runtime) {
        this.selfSignedDirectory = DataDirectory.of(context, "tls");
        ConfigReader config = read(properties);
        TlsSpec spec = spec(config);
        String name = spec.name();
        this.source = config.source();
        this.warningDays = config.integer("expiry.warning.days", 0, 3650);
        this.delegate = config.problems().isEmpty() ? ReloadingSslConfiguration.create(spec, config.source())
                : ReloadingSslConfiguration.refused(name, config.source(), config.problems());
        checkExpiry();
        this.dailyCheck = runtime.runtime().every(this::checkExpiry, DAY_SECONDS, TimeUnit.SECONDS);
        this.mbean = MBeans.register("TlsConfiguration", name.isEmpty() ? "?" : name,
                new TlsConfigurationManagement(this, () -> warningDays));
    }

    /** Warns when the served certificate expires within expiry.warning.days. */
    private void checkExpiry() {
        TlsSettings settings = delegate.current();
        if (settings != null) {
            CertificateExpiry.warning(delegate.name(), source, settings.certificate(), warningDays, Instant.now())
                    .ifPresent(LOG::warning);
        }
    }

    @Deactivate
    void deactivate() {
        dailyCheck.cancel(false);
        mbean.close();
    }

    @Modified
    void modified(Map<String, Object> properties) {
        ConfigReader config = read(properties);
        TlsSpec spec = spec(config);
        warningDays = config.integer("expiry.warning.days", 0, 3650);
        if (config.problems().isEmpty()) {
            delegate.update(spec);
            checkExpiry();
        } else {
            delegate.refuse(config.problems());
        }
    }

    private static ConfigReader read(Map<String, Object> properties) {
        ConfigReader config = new ConfigReader(Config.class, properties);
        config.unknownKeys().forEach(LOG::warning);
        return config;
    }

    private TlsSpec spec(ConfigReader c) {
        String name = c.text("name");
        if (name.isEmpty()) {
            c.problem("name", "is empty; listeners find a TLS configuration by its name");
        }
        return new TlsSpec(name,
                c.path("keystore"), c.optionalText("keystore.type"), c.secret("keystore.password"),
                c.optionalText("key.alias"), c.secret("key.password"),
                c.path("certificate"), c.path("private.key"),
                c.path("truststore"), c.optionalText("truststore.type"), c.secret("truststore.password"),
                c.choice("client.auth", ClientAuth.class), c.list("protocols"), c.list("cipher.suites"),
                c.bool("self.signed"), selfSignedDirectory);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public TlsSettings current() {
        return delegate.current();
    }

    @Override
    public String problem() {
        return delegate.problem();
    }
}
