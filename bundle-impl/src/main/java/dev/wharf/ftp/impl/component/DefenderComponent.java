package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.impl.net.Defender;
import dev.wharf.ftp.impl.net.DefenderSettings;
import dev.wharf.ftp.impl.net.ServerRuntime;
import dev.wharf.ftp.impl.settings.AddressBlocks;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The defender ({@code dev.wharf.ftp.defender}, one configuration for the whole server): bans addresses that fail
 * logins or TLS handshakes, or abuse the protocol, across connections. It runs with its defaults when there is no
 * configuration (secure by default); {@code enabled = false} turns it off. A changed configuration replaces it;
 * bans live on in its state file under Wharf's data directory.
 */
@Component(configurationPid = "dev.wharf.ftp.defender", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = DefenderComponent.Config.class)
public final class DefenderComponent {

    private static final Logger LOG = Logger.getLogger(DefenderComponent.class.getName());

    @ObjectClassDefinition(name = "Wharf FTP: defender",
            description = "Bans addresses that fail logins or TLS handshakes, or abuse the protocol, across "
                    + "connections: refused before any TLS work until the ban ends.")
    public @interface Config {
        @AttributeDefinition(name = "Enabled")
        boolean enabled() default true;

        @AttributeDefinition(name = "Threshold", min = "1",
                description = "Points within the window that ban an address.")
        int threshold() default 10;

        @AttributeDefinition(name = "Window (s)", min = "1", description = "How long an offence counts.")
        int window() default 300;

        @AttributeDefinition(name = "Ban time (s)", min = "1",
                description = "The first ban's length; each further ban of the address doubles it.")
        int ban_time() default 900;

        @AttributeDefinition(name = "Longest ban (s)", min = "1", description = "Bans grow no longer than this.")
        int ban_time_max() default 86400;

        @AttributeDefinition(name = "Safe list", required = false,
                description = "Addresses or CIDR blocks never banned (comma separated), e.g. monitoring or your "
                        + "office; the default is the machine's own loopback.")
        String safe_list() default "127.0.0.1, ::1";

        @AttributeDefinition(name = "Points for a failed login", min = "0",
                description = "A wrong password, an unknown or disabled user, a refused certificate or address.")
        int score_login() default 1;

        @AttributeDefinition(name = "Points for a failed TLS handshake", min = "0")
        int score_tls() default 1;

        @AttributeDefinition(name = "Points for protocol abuse", min = "0",
                description = "A command line too long, a login or command line not complete in time.")
        int score_abuse() default 2;
    }

    private final ServerRuntime runtime;
    private final Defender defender;
    private final ScheduledFuture<?> expiry;

    @Activate
    public DefenderComponent(Map<String, Object> properties, BundleContext context,
            @Reference ServerRuntimeComponent runtime) {
        this.runtime = runtime.runtime();
        ConfigReader c = new ConfigReader(Config.class, properties);
        c.unknownKeys().forEach(LOG::warning);
        DefenderSettings settings = new DefenderSettings(c.integer("threshold", 1, Integer.MAX_VALUE),
                c.integer("window", 1, Integer.MAX_VALUE) * 1000L, c.integer("ban.time", 1, Integer.MAX_VALUE) * 1000L,
                c.integer("ban.time.max", 1, Integer.MAX_VALUE) * 1000L,
                c.parsed("safe.list", AddressBlocks::parse, AddressBlocks.parse("127.0.0.1, ::1")),
                c.integer("score.login", 0, 1000), c.integer("score.tls", 0, 1000), c.integer("score.abuse", 0, 1000));
        boolean enabled = c.bool("enabled");
        if (!c.problems().isEmpty()) {
            // Fail closed: a mistyped value keeps the defaults in force rather than switching the defender off.
            c.problems().forEach(p -> LOG.severe(p + "; the defender uses that key's default until this is fixed"));
        }
        if (!enabled) {
            LOG.info(() -> c.source() + ": the defender is off (enabled = false)");
            this.defender = null;
            this.expiry = null;
            return;
        }
        this.defender = new Defender(settings, DataDirectory.of(context, "defender").resolve("bans"),
                this.runtime.activities(), System::currentTimeMillis);
        this.runtime.defender(defender);
        this.expiry = this.runtime.every(defender::expire, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        if (defender != null) {
            expiry.cancel(false);
            if (runtime.defender() == defender) {
                runtime.defender(null);
            }
        }
    }
}
