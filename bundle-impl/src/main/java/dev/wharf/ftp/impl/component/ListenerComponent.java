package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.SslConfiguration;
import dev.wharf.ftp.api.UserStore;
import dev.wharf.ftp.api.hook.FtpHook;
import dev.wharf.ftp.impl.auth.UserStores;
import dev.wharf.ftp.impl.management.ListenerManagement;
import dev.wharf.ftp.impl.management.ListenerStatistics;
import dev.wharf.ftp.impl.management.MBeans;
import dev.wharf.ftp.impl.net.FtpEndpoint;
import dev.wharf.ftp.impl.net.ServerRuntime;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One listening endpoint ({@code dev.wharf.ftp.listener}). Immediate, so that a configuration alone opens the
 * port. A changed configuration applies to the running endpoint when it needs no new socket (limits, timeouts,
 * allow/deny, TLS policy, drain, the PROXY protocol, defaults for users: see {@link ListenerSettings#appliesLive});
 * a new name, host, port or implicit.ssl rebinds at once, and the old sessions finish within stop.grace. A change
 * of the SSL configuration it is bound to re-creates this component; user stores and hooks come and go without
 * touching it. Its counters are in JMX as {@code dev.wharf:type=Listener,name=<name>}.
 */
@Component(configurationPid = "dev.wharf.ftp.listener", configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = FtpListener.class)
@Designate(ocd = ListenerComponent.Config.class, factory = true)
public class ListenerComponent implements FtpListener {

    private static final Logger LOG = Logger.getLogger(ListenerComponent.class.getName());
    private static final long BIND_RETRY_MILLIS = 5_000;
    /** How long a listener whose TLS is optional waits for its SSL configuration before serving without. */
    private static final long TLS_WAIT_MILLIS = 3_000;
    /** How long a listener that needs TLS waits quietly for its SSL configuration before warning. */
    private static final long MISSING_TLS_WARNING_SECONDS = 10;
    /** The data.ssl reference's target while data.ssl.target is unset: it matches no service. */
    private static final String UNSET_TARGET = "(wharf.unset=true)";

    @ObjectClassDefinition(name = "Wharf FTP: listener",
            description = "One FTP/FTPS listening endpoint with its TLS policy, data connection and limit settings.")
    public @interface Config {
        @AttributeDefinition(name = "Name")
        String name() default "default";

        @AttributeDefinition(name = "Host", description = "Address to bind; 0.0.0.0 for all IPv4 interfaces.")
        String host() default "0.0.0.0";

        @AttributeDefinition(name = "Port", min = "0", max = "65535", description = "0 picks a free port.")
        int port() default 2121;

        @AttributeDefinition(name = "Implicit TLS",
                description = "TLS from the first byte (the port 990 style) instead of AUTH TLS.")
        boolean implicit_ssl() default false;

        @AttributeDefinition(name = "SSL configuration",
                description = "Filter selecting the dev.wharf.ftp.ssl configuration, e.g. (name=default).")
        String ssl_target() default "(name=default)";

        @AttributeDefinition(name = "TLS required",
                description = "control (the default): no USER/PASS before AUTH TLS; all: data connections must be "
                        + "protected too (PROT P); none: plain FTP is allowed.",
                options = {@Option(label = "No", value = "none"),
                    @Option(label = "On the control connection (no login before AUTH)", value = "control"),
                    @Option(label = "On control and data connections", value = "all")})
        String tls_required() default "control";

        @AttributeDefinition(name = "Implicit TLS on data connections",
                description = "Every data connection is TLS even without PROT P (for clients that assume it).")
        boolean data_implicit_ssl() default false;

        @AttributeDefinition(name = "SSL configuration for data connections", required = false,
                description = "Filter selecting an own dev.wharf.ftp.ssl configuration for data connections; "
                        + "empty: the listener's.")
        String data_ssl_target(); // no default: an empty target filter would be invalid

        @AttributeDefinition(name = "TLS session reuse on data connections",
                description = "Whether a TLS data connection must resume the control connection's TLS session "
                        + "(checked on TLS 1.2; see the README for TLS 1.3).",
                options = {@Option(label = "Required", value = "required"),
                    @Option(label = "Allowed", value = "allowed"),
                    @Option(label = "Disabled", value = "disabled")})
        String tls_session_reuse() default "required";

        @AttributeDefinition(name = "Passive ports", required = false,
                description = "e.g. 30000-30099 or 30000-30010,30020; empty: any free port.")
        String passive_ports() default "";

        @AttributeDefinition(name = "Passive bind address", required = false,
                description = "Empty: the control connection's local address.")
        String passive_address() default "";

        @AttributeDefinition(name = "Passive external address", required = false,
                description = "Address announced in PASV replies, for servers behind NAT: one address, or per client "
                        + "network CIDR=address entries and one address for everyone else, e.g. "
                        + "10.0.0.0/8=10.0.0.5, 203.0.113.10. Empty: the address the client connected to.")
        String passive_external_address() default "";

        @AttributeDefinition(name = "Active mode", description = "Allow PORT and EPRT.")
        boolean active_enabled() default true;

        @AttributeDefinition(name = "Active source port", min = "0", max = "65535",
                description = "Local port for active connections; 0: any.")
        int active_local_port() default 0;

        @AttributeDefinition(name = "Data connection address check",
                description = "Passive: refuse data connections from other addresses than the client's; "
                        + "active: connect only to the client's own address.")
        boolean data_ip_check() default true;

        @AttributeDefinition(name = "Idle timeout (s)", min = "1")
        int idle_timeout() default 300;

        @AttributeDefinition(name = "Data timeout (s)", min = "1",
                description = "A data connection that makes no progress for this long is closed.")
        int data_timeout() default 60;

        @AttributeDefinition(name = "Login timeout (s)", min = "1",
                description = "A connection must log in within this long of connecting, however it trickles its "
                        + "commands; then it gets 421 and is closed.")
        int login_timeout() default 60;

        @AttributeDefinition(name = "TLS handshake timeout (s)", min = "1", max = "3600",
                description = "A TLS handshake (control or data) must be complete within this long of its start.")
        int handshake_timeout() default 30;

        @AttributeDefinition(name = "Command timeout (s)", min = "1", max = "3600",
                description = "A command line, once begun, must be complete within this long.")
        int command_timeout() default 30;

        @AttributeDefinition(name = "Max connections", min = "0",
                description = "Control connections this listener holds at once; more are refused with 421 before "
                        + "any TLS work. 0 = unlimited.")
        int max_connections() default 1000;

        @AttributeDefinition(name = "Max connections per IP", min = "0",
                description = "Control connections from one address at once; more are refused with 421 before any "
                        + "TLS work. Raise it for many users behind one NAT address. 0 = unlimited.")
        int max_connections_per_ip() default 20;

        @AttributeDefinition(name = "Max login failures", min = "0",
                description = "Failed logins before the connection is closed; 0 = unlimited.")
        int max_login_failures() default 3;

        @AttributeDefinition(name = "Login failure delay (ms)", min = "0")
        int login_failure_delay() default 1000;

        @AttributeDefinition(name = "Allow", required = false,
                description = "Addresses or CIDR blocks allowed to connect (comma separated); empty: all.")
        String allow() default "";

        @AttributeDefinition(name = "Deny", required = false,
                description = "Addresses or CIDR blocks refused at connect (comma separated).")
        String deny() default "";

        @AttributeDefinition(name = "Flush uploads to disk",
                description = "fsync each upload before it replaces the target and 226 is sent: durable across a "
                        + "power loss, at a cost in upload speed. Off, an upload is still never visible half-written.")
        boolean upload_sync() default false;

        @AttributeDefinition(name = "Hooks", required = false,
                description = "Filter selecting the FtpHook services this listener asks, e.g. (team=finance); "
                        + "empty: all. A hook's own wharf.listener property can limit it to named listeners.")
        String hooks_target(); // no default: an empty target filter would be invalid

        @AttributeDefinition(name = "Hook timeout (s)", min = "1", max = "3600",
                description = "How long a hook may take to decide; then the operation is refused with 451 (a "
                        + "login with 530) and the session goes on.")
        int hook_timeout() default 30;

        @AttributeDefinition(name = "PROXY protocol",
                description = "Connections come through a load balancer (HAProxy send-proxy / send-proxy-v2) that "
                        + "starts each with a PROXY header naming the real client; only connections from "
                        + "proxy.trusted are accepted then.",
                options = {@Option(label = "None: clients connect directly", value = "none"),
                    @Option(label = "Version 1 (text)", value = "v1"),
                    @Option(label = "Version 2 (binary)", value = "v2")})
        String proxy_protocol() default "none";

        @AttributeDefinition(name = "Trusted PROXY sources", required = false,
                description = "Addresses or CIDR blocks of the load balancers (comma separated); required with the "
                        + "PROXY protocol. Connections from anywhere else are closed.")
        String proxy_trusted() default "";

        @AttributeDefinition(name = "Anonymous access",
                description = "Let 'anonymous' and 'ftp' log in with any password (an e-mail address by custom, which "
                        + "is logged), read-only, in the anonymous root. The listener's tls.required still applies.")
        boolean anonymous() default false;

        @AttributeDefinition(name = "Anonymous root", required = false,
                description = "The anonymous users' virtual root (needed with anonymous access); created if missing.")
        String anonymous_root() default "";

        @AttributeDefinition(name = "Anonymous drop box", required = false,
                description = "A directory below the anonymous root, e.g. /incoming, where anonymous users may upload "
                        + "new files but not list, download or replace anything; empty: no uploads at all.")
        String anonymous_incoming() default "";

        @AttributeDefinition(name = "Upload rate (bytes/s)",
                description = "Default upload limit for users without their own upload.rate: a number with an "
                        + "optional k or m (x1024), e.g. 512k; 0 = unlimited.")
        String upload_rate() default "0";

        @AttributeDefinition(name = "Download rate (bytes/s)",
                description = "Default download limit for users without their own download.rate, e.g. 2m; "
                        + "0 = unlimited.")
        String download_rate() default "0";

        @AttributeDefinition(name = "Rate limits apply to",
                description = "user: all of a user's transfers share the rate; session: each session has it.",
                options = {@Option(label = "All of a user's sessions together", value = "user"),
                    @Option(label = "Each session on its own", value = "session")})
        String rate_scope() default "user";

        @AttributeDefinition(name = "Umask",
                description = "Permissions taken away from files (666) and directories (777) users create, in "
                        + "octal: 022 gives 644 and 755; a user's own umask replaces it.")
        String umask() default "022";

        @AttributeDefinition(name = "Stop grace (s)", min = "0", max = "86400",
                description = "When the listener stops or rebinds (a new host, port or implicit.ssl), running "
                        + "transfers may take this long to finish before their sessions are closed with 421.")
        int stop_grace() default 10;

        @AttributeDefinition(name = "Drain",
                description = "Refuse new connections and logins with 421 while the sessions logged in already "
                        + "go on, e.g. before a restart behind a load balancer. Applies without a restart.")
        boolean drain() default false;

        String webconsole_configurationFactory_nameHint() default "Listener {name} on port {port}";
    }

    private final ServerRuntime runtime;
    private final SslConfiguration ssl;
    private final SslConfiguration dataSsl;
    private volatile Running running;
    /** Endpoints replaced by a rebind whose sessions still finish, with the end of that. */
    private final List<Retiring> retiring = new CopyOnWriteArrayList<>();
    private ListenerStatistics stats;
    private MBeans.Registration mbean = () -> { };

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, UserStore>> userStores;

    /** The hooks hooks.target selects, in SCR's order (ascending ranking); see {@link HookServices}. */
    @Reference(name = "hooks", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, FtpHook>> hooks;

    /**
     * What runs for one reading of the configuration.
     *
     * @param values the configuration's own values, to tell a real change from FileInstall adding its file name
     * @param refusal why the listener does not run at all (bad values, no TLS configuration while it needs one)
     */
    private record Running(String name, Map<String, Object> values, FtpEndpoint endpoint, String refusal,
            ScheduledFuture<?> missingTlsWarning, long graceMillis) {

        void stop() {
            stopAccepting();
            if (endpoint != null) {
                endpoint.endSessions(graceMillis);
            }
        }

        void stopAccepting() {
            if (missingTlsWarning != null) {
                missingTlsWarning.cancel(false);
            }
            if (endpoint != null) {
                endpoint.stopAccepting();
            }
        }

        Running with(Map<String, Object> newValues, long newGraceMillis) {
            return new Running(name, newValues, endpoint, refusal, missingTlsWarning, newGraceMillis);
        }
    }

    /** An endpoint replaced by a rebind, whose sessions finish in the background; {@code ended} completes then. */
    private record Retiring(FtpEndpoint endpoint, CompletableFuture<Void> ended, long graceMillis) {
    }

    @Activate
    public ListenerComponent(Map<String, Object> properties,
            @Reference ServerRuntimeComponent runtime,
            @Reference(name = "ssl", cardinality = ReferenceCardinality.OPTIONAL,
                    policyOption = ReferencePolicyOption.GREEDY, target = "(name=default)") SslConfiguration ssl,
            @Reference(name = "data.ssl", cardinality = ReferenceCardinality.OPTIONAL,
                    policyOption = ReferencePolicyOption.GREEDY, target = UNSET_TARGET) SslConfiguration dataSsl) {
        this.runtime = runtime.runtime();
        this.ssl = ssl;
        this.dataSsl = dataSsl;
        this.running = start(properties);
    }

    /**
     * A changed configuration. When only keys of the framework changed (FileInstall adds the name of the file it
     * read, right after a feature or the Web Console created the configuration), nothing happens. Values that need
     * no new socket are handed to the running endpoint, whose sessions go on; otherwise the listener rebinds at once
     * and its old sessions finish within stop.grace. (A change of ssl.target reaches SCR, which replaces this
     * instance.)
     */
    @Modified
    void modified(Map<String, Object> properties) {
        Running before = running;
        Map<String, Object> values = ConfigReader.ownValues(properties);
        if (values.equals(before.values())) {
            return;
        }
        ConfigReader config = read(properties);
        ListenerSettings next = ListenerSettingsReader.settings(config);
        if (before.endpoint() != null && config.problems().isEmpty() && !(ssl == null && next.needsTls())
                && Objects.equals(before.values().get("data.ssl.target"), values.get("data.ssl.target"))
                && before.endpoint().settings().appliesLive(next)) {
            config.unknownKeys().forEach(LOG::warning);
            warnAboutTrust(config, next);
            before.endpoint().update(next);
            running = before.with(values, next.lifecycle().stopGraceSeconds() * 1000L);
            LOG.info(() -> "listener '" + next.name() + "': " + changedKeys(before.values(), values)
                    + " applied to the running listener; its " + before.endpoint().openSessions()
                    + " sessions go on");
            return;
        }
        long grace = config.problems().isEmpty() ? next.lifecycle().stopGraceSeconds() * 1000L : before.graceMillis();
        before.stopAccepting(); // the port is free for the new endpoint at once
        running = start(properties);
        retire(before.endpoint(), grace);
    }

    /** A valid but dangerous proxy.trusted, at the start and at a live change alike. */
    private static void warnAboutTrust(ConfigReader config, ListenerSettings settings) {
        if (settings.proxy().trusted().coversAll()) {
            LOG.warning(config.source() + ": 'proxy.trusted' is '" + settings.proxy().trusted() + "': any host that "
                    + "reaches listener '" + settings.name() + "' can claim to be any client");
        }
    }

    /** The keys whose values differ, for the log. */
    private static String changedKeys(Map<String, Object> before, Map<String, Object> after) {
        java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        keys.removeIf(k -> Objects.deepEquals(before.get(k), after.get(k)));
        return String.join(", ", keys);
    }

    /** Lets the sessions of a replaced endpoint finish within the grace, in the background. */
    private void retire(FtpEndpoint endpoint, long graceMillis) {
        if (endpoint == null || endpoint.openSessions() == 0) {
            if (endpoint != null) {
                endpoint.endSessions(0);
            }
            return;
        }
        Retiring r = new Retiring(endpoint, new CompletableFuture<>(), graceMillis);
        retiring.add(r);
        LOG.info(() -> "listener '" + running.name() + "' rebound; " + endpoint.openSessions() + " sessions of the "
                + "old socket finish within " + graceMillis / 1000 + " s (stop.grace)");
        runtime.runInBackground("wharf-retire " + running.name(), () -> {
            try {
                endpoint.endSessions(graceMillis);
            } finally {
                retiring.remove(r);
                r.ended().complete(null);
            }
        });
    }

    /** A reader of the configuration, with the hooks.target filter checked too. */
    private static ConfigReader read(Map<String, Object> properties) {
        ConfigReader config = new ConfigReader(Config.class, properties, "userStores.target", "runtime.target");
        String hooksTarget = config.optionalText("hooks.target");
        if (hooksTarget != null) {
            HookServices.checkFilter(hooksTarget).ifPresent(p -> config.problem("hooks.target", p));
        }
        return config;
    }

    private Running start(Map<String, Object> properties) {
        ConfigReader config = read(properties);
        config.unknownKeys().forEach(LOG::warning);
        Map<String, Object> values = ConfigReader.ownValues(properties);
        ListenerSettings settings = ListenerSettingsReader.settings(config);
        String name = settings.name();
        String sslTarget = config.text("ssl.target");
        long grace = settings.lifecycle().stopGraceSeconds() * 1000L;
        monitor(name);
        if (!config.problems().isEmpty()) {
            config.problems().forEach(p -> LOG.severe(p + "; listener '" + name
                    + "' does not start until this is fixed"));
            return new Running(name, values, null, "listener '" + name + "' does not start until its configuration "
                    + "is fixed: " + String.join("; ", config.problems()), null, grace);
        }
        warnAboutTrust(config, settings);
        // SCR reports the reference's own target as the property's value when the configuration has none.
        String dataTarget = config.optionalText("data.ssl.target");
        boolean ownDataTls = dataTarget != null && !dataTarget.equals(UNSET_TARGET);
        if (ownDataTls && dataSsl == null) {
            LOG.warning("listener '" + name + "': no SSL configuration matches data.ssl.target=" + dataTarget
                    + "; data connections use the listener's");
        }
        if (ssl == null && settings.needsTls()) {
            // Not an error yet: at start-up ConfigAdmin often hands out the SSL configuration just after the
            // listener's, and SCR then replaces this instance. Warn only if it is still missing later.
            String refusal = "listener '" + name + "' needs TLS (implicit.ssl, tls.required or data.implicit.ssl) but "
                    + "no SSL configuration matches ssl.target=" + sslTarget + ": not accepting connections until "
                    + "one appears";
            LOG.fine(refusal);
            return new Running(name, values, null, refusal, runtime.schedule(() -> LOG.warning(refusal),
                    MISSING_TLS_WARNING_SECONDS, TimeUnit.SECONDS), grace);
        }
        FtpEndpoint endpoint = new FtpEndpoint(runtime, settings, ssl, ownDataTls ? dataSsl : null,
                new UserStores(this::storesByRank), () -> HookServices.byRank(hooks), stats);
        if (ssl == null) {
            // ConfigAdmin delivers configurations in no set order: at start-up the SSL configuration often comes
            // just after the listener's. Binding at once would serve the first clients without AUTH TLS; SCR
            // replaces this instance (stopping it) as soon as a matching SSL configuration appears. A
            // configuration that matches but cannot be used is not this case: the listener then refuses
            // connections (see FtpEndpoint).
            LOG.info(() -> "listener '" + name + "': waiting up to " + TLS_WAIT_MILLIS / 1000 + " s for an SSL "
                    + "configuration matching ssl.target=" + sslTarget + ", then accepting without TLS");
            endpoint.startAfter(TLS_WAIT_MILLIS, BIND_RETRY_MILLIS);
        } else {
            endpoint.startOrRetry(BIND_RETRY_MILLIS);
        }
        return new Running(name, values, endpoint, null, null, grace);
    }

    /**
     * The counters and the MBean of the listener of this name: kept across rebinds, new when the name changes. The
     * counters take the activities of this listener's sessions from the runtime.
     */
    private void monitor(String name) {
        if (stats != null && stats.listener().equals(name)) {
            return;
        }
        unmonitor();
        stats = new ListenerStatistics(name);
        runtime.activities().add(stats, ListenerStatistics.TOPICS);
        mbean = MBeans.register("Listener", name.isEmpty() ? "?" : name, new ListenerManagement(this, stats));
    }

    private void unmonitor() {
        mbean.close();
        if (stats != null) {
            runtime.activities().remove(stats);
        }
    }

    /** The bound user stores, highest service ranking first. */
    private List<UserStore> storesByRank() {
        List<Map.Entry<Map<String, Object>, UserStore>> stores = userStores;
        return stores == null ? List.of() : UserStoreOrder.byRank(stores);
    }

    @Deactivate
    void deactivate() {
        running.stop();
        for (Retiring r : retiring) {
            try {
                r.ended().get(r.graceMillis() + 10_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                r.endpoint().endSessions(0); // its time is up: close what is left
            }
        }
        unmonitor();
    }

    @Override
    public String name() {
        return running.name();
    }

    @Override
    public InetSocketAddress boundAddress() {
        FtpEndpoint endpoint = running.endpoint();
        return endpoint == null ? null : endpoint.boundAddress();
    }

    @Override
    public boolean tlsAvailable() {
        FtpEndpoint endpoint = running.endpoint();
        return endpoint != null && endpoint.tlsAvailable();
    }

    @Override
    public int openSessions() {
        return endpoints().stream().mapToInt(FtpEndpoint::openSessions).sum();
    }

    /** The running endpoint and those still finishing after a rebind. */
    private List<FtpEndpoint> endpoints() {
        List<FtpEndpoint> all = new ArrayList<>();
        FtpEndpoint current = running.endpoint();
        if (current != null) {
            all.add(current);
        }
        retiring.forEach(r -> all.add(r.endpoint()));
        return all;
    }

    @Override
    public List<FtpSessionInfo> sessions() {
        List<FtpSessionInfo> all = new ArrayList<>();
        endpoints().forEach(e -> all.addAll(e.sessions()));
        return all;
    }

    @Override
    public boolean endSession(String sessionId) {
        for (FtpEndpoint e : endpoints()) {
            if (e.endSession(sessionId, "by an operator")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int endSessionsOf(String userName) {
        return endpoints().stream().mapToInt(e -> e.endSessionsOf(userName, "by an operator")).sum();
    }

    @Override
    public boolean draining() {
        FtpEndpoint endpoint = running.endpoint();
        return endpoint != null && endpoint.draining();
    }

    @Override
    public String problem() {
        Running r = running;
        return r.endpoint() == null ? r.refusal() : r.endpoint().problem();
    }
}
