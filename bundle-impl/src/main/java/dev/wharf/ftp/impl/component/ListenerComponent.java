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
import org.osgi.service.metatype.annotations.Designate;

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
@Designate(ocd = ListenerConfig.class, factory = true)
public class ListenerComponent implements FtpListener {

    private static final Logger LOG = Logger.getLogger(ListenerComponent.class.getName());
    private static final long BIND_RETRY_MILLIS = 5_000;
    /** How long a listener whose TLS is optional waits for its SSL configuration before serving without. */
    private static final long TLS_WAIT_MILLIS = 3_000;
    /** How long a listener that needs TLS waits quietly for its SSL configuration before warning. */
    private static final long MISSING_TLS_WARNING_SECONDS = 10;
    /** The data.ssl reference's target while data.ssl.target is unset: it matches no service. */
    private static final String UNSET_TARGET = "(wharf.unset=true)";

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
        ConfigReader config = new ConfigReader(ListenerConfig.class, properties, "userStores.target", "runtime.target");
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
