package dev.wharf.ftp.impl.settings;

import dev.wharf.ftp.api.TlsRequirement;
import java.util.Objects;

/**
 * Everything a listener and its sessions are configured with: the plain-Java form of a
 * {@code dev.wharf.ftp.listener} configuration, grouped by concern. Build one with {@link #builder(String)}, whose
 * defaults are those of the configuration keys.
 */
public record ListenerSettings(String name, String host, int port, TlsPolicy tls, DataPolicy data, Limits limits,
        IpFilter ipFilter, boolean syncUploads, int hookTimeoutSeconds, ProxyPolicy proxy,
        AnonymousAccess anonymous, UserDefaults userDefaults, Lifecycle lifecycle) {

    public ListenerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(ipFilter, "ipFilter");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(anonymous, "anonymous");
        Objects.requireNonNull(userDefaults, "userDefaults");
        Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /**
     * Whether {@code next} can be applied to a running listener with these settings: only the name, the bind
     * address and implicit TLS need a new socket; everything else is read by the listener and its sessions as
     * they go (the PROXY protocol keys by each new connection, the defaults for users by each login).
     */
    public boolean appliesLive(ListenerSettings next) {
        return name.equals(next.name) && host.equals(next.host) && port == next.port
                && tls.implicitSsl() == next.tls.implicitSsl();
    }

    /** Whether this listener cannot serve anyone without an SSL configuration. */
    public boolean needsTls() {
        return tls.implicitSsl() || tls.required() != TlsRequirement.NONE || tls.dataImplicitSsl();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A copy to change, e.g. {@code settings.toBuilder().port(0).build()}. */
    public Builder toBuilder() {
        return new Builder(name).host(host).port(port).implicitSsl(tls.implicitSsl()).tlsRequired(tls.required())
                .dataImplicitSsl(tls.dataImplicitSsl()).tlsSessionReuse(tls.sessionReuse())
                .handshakeTimeoutSeconds(tls.handshakeTimeoutSeconds()).passivePorts(data.passivePorts())
                .passiveAddress(data.passiveAddress()).passiveExternalAddress(data.passiveExternalAddress())
                .activeEnabled(data.activeEnabled()).activeLocalPort(data.activeLocalPort())
                .dataIpCheck(data.ipCheck()).dataTimeoutSeconds(data.timeoutSeconds())
                .idleTimeoutSeconds(limits.idleTimeoutSeconds()).loginTimeoutSeconds(limits.loginTimeoutSeconds())
                .commandTimeoutSeconds(limits.commandTimeoutSeconds()).maxConnections(limits.maxConnections())
                .maxConnectionsPerIp(limits.maxConnectionsPerIp()).maxLoginFailures(limits.maxLoginFailures())
                .loginFailureDelayMillis(limits.loginFailureDelayMillis()).ipFilter(ipFilter).syncUploads(syncUploads)
                .hookTimeoutSeconds(hookTimeoutSeconds).proxy(proxy).anonymous(anonymous).userDefaults(userDefaults)
                .drain(lifecycle.drain()).stopGraceSeconds(lifecycle.stopGraceSeconds());
    }

    /** Builds {@link ListenerSettings}; one setter per configuration key, the keys' defaults preset. */
    public static final class Builder {
        private final String name;
        private String host = "0.0.0.0";
        private int port = 2121;
        private boolean implicitSsl;
        private TlsRequirement tlsRequired = TlsRequirement.CONTROL;
        private boolean dataImplicitSsl;
        private SessionReuse tlsSessionReuse = SessionReuse.REQUIRED;
        private int handshakeTimeoutSeconds = 30;
        private PortRanges passivePorts = PortRanges.ANY;
        private String passiveAddress;
        private PassiveAddresses passiveExternalAddress = PassiveAddresses.NONE;
        private boolean activeEnabled = true;
        private int activeLocalPort;
        private boolean dataIpCheck = true;
        private int dataTimeoutSeconds = 60;
        private int idleTimeoutSeconds = 300;
        private int loginTimeoutSeconds = 60;
        private int commandTimeoutSeconds = 30;
        private int maxConnections = 1000;
        private int maxConnectionsPerIp = 20;
        private int maxLoginFailures = 3;
        private int loginFailureDelayMillis = 1000;
        private IpFilter ipFilter = IpFilter.ALLOW_ALL;
        private boolean syncUploads;
        private int hookTimeoutSeconds = 30;
        private ProxyPolicy proxy = ProxyPolicy.NONE;
        private AnonymousAccess anonymous = AnonymousAccess.OFF;
        private UserDefaults userDefaults = UserDefaults.STANDARD;
        private boolean drain;
        private int stopGraceSeconds = 10;

        private Builder(String name) {
            this.name = name;
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder implicitSsl(boolean value) {
            implicitSsl = value;
            return this;
        }

        public Builder tlsRequired(TlsRequirement value) {
            tlsRequired = value;
            return this;
        }

        public Builder dataImplicitSsl(boolean value) {
            dataImplicitSsl = value;
            return this;
        }

        public Builder tlsSessionReuse(SessionReuse value) {
            tlsSessionReuse = value;
            return this;
        }

        public Builder handshakeTimeoutSeconds(int value) {
            handshakeTimeoutSeconds = value;
            return this;
        }

        public Builder passivePorts(PortRanges value) {
            passivePorts = value;
            return this;
        }

        public Builder passiveAddress(String value) {
            passiveAddress = value;
            return this;
        }

        public Builder passiveExternalAddress(PassiveAddresses value) {
            passiveExternalAddress = value;
            return this;
        }

        public Builder activeEnabled(boolean value) {
            activeEnabled = value;
            return this;
        }

        public Builder activeLocalPort(int value) {
            activeLocalPort = value;
            return this;
        }

        public Builder dataIpCheck(boolean value) {
            dataIpCheck = value;
            return this;
        }

        public Builder dataTimeoutSeconds(int value) {
            dataTimeoutSeconds = value;
            return this;
        }

        public Builder idleTimeoutSeconds(int value) {
            idleTimeoutSeconds = value;
            return this;
        }

        public Builder loginTimeoutSeconds(int value) {
            loginTimeoutSeconds = value;
            return this;
        }

        public Builder commandTimeoutSeconds(int value) {
            commandTimeoutSeconds = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder maxConnectionsPerIp(int value) {
            maxConnectionsPerIp = value;
            return this;
        }

        public Builder maxLoginFailures(int value) {
            maxLoginFailures = value;
            return this;
        }

        public Builder loginFailureDelayMillis(int value) {
            loginFailureDelayMillis = value;
            return this;
        }

        public Builder ipFilter(IpFilter value) {
            ipFilter = value;
            return this;
        }

        public Builder syncUploads(boolean value) {
            syncUploads = value;
            return this;
        }

        /** How long a hook may take to decide before the operation is refused. */
        public Builder hookTimeoutSeconds(int value) {
            hookTimeoutSeconds = value;
            return this;
        }

        public Builder proxy(ProxyPolicy value) {
            proxy = value;
            return this;
        }

        public Builder anonymous(AnonymousAccess value) {
            anonymous = value;
            return this;
        }

        /** Rates and umask for users who do not set their own. */
        public Builder userDefaults(UserDefaults value) {
            userDefaults = value;
            return this;
        }

        /** Refuse new connections and logins while the running sessions go on. */
        public Builder drain(boolean value) {
            drain = value;
            return this;
        }

        /** How long running transfers may take to finish when the listener stops or rebinds. */
        public Builder stopGraceSeconds(int value) {
            stopGraceSeconds = value;
            return this;
        }

        public ListenerSettings build() {
            return new ListenerSettings(name, host, port,
                    new TlsPolicy(implicitSsl, tlsRequired, dataImplicitSsl, tlsSessionReuse, handshakeTimeoutSeconds),
                    new DataPolicy(passivePorts, passiveAddress, passiveExternalAddress, activeEnabled,
                            activeLocalPort, dataIpCheck, dataTimeoutSeconds),
                    new Limits(idleTimeoutSeconds, loginTimeoutSeconds, commandTimeoutSeconds, maxConnections,
                            maxConnectionsPerIp, maxLoginFailures, loginFailureDelayMillis),
                    ipFilter, syncUploads, hookTimeoutSeconds, proxy, anonymous, userDefaults,
                    new Lifecycle(drain, stopGraceSeconds));
        }
    }
}
