package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.impl.net.IpFilter;
import dev.wharf.ftp.impl.data.PortRanges;

/**
 * Everything a listener and its sessions are configured with: the plain-Java form of a
 * {@code dev.wharf.ftp.listener} configuration. Times in the units their names say.
 */
public record ListenerSettings(
        String name,
        String host,
        int port,
        boolean implicitSsl,
        TlsRequirement tlsRequired,
        boolean dataImplicitSsl,
        SessionReuse tlsSessionReuse,
        PortRanges passivePorts,
        String passiveAddress,
        String passiveExternalAddress,
        boolean activeEnabled,
        int activeLocalPort,
        boolean dataIpCheck,
        int idleTimeoutSeconds,
        int dataTimeoutSeconds,
        int maxConnections,
        int maxConnectionsPerIp,
        int maxLoginFailures,
        int loginFailureDelayMillis,
        IpFilter ipFilter,
        boolean syncUploads) {

    /** Whether a TLS data connection must resume the control connection's TLS session. */
    public enum SessionReuse {
        DISABLED,
        ALLOWED,
        REQUIRED
    }

    /** Whether this listener cannot serve anyone without an SSL configuration. */
    public boolean needsTls() {
        return implicitSsl || tlsRequired != TlsRequirement.NONE || dataImplicitSsl;
    }

    /** Defaults of DESIGN.md, for tests and embedding: an explicit listener on the given address. */
    public static ListenerSettings defaults(String host, int port) {
        return new ListenerSettings("default", host, port, false, TlsRequirement.NONE, false, SessionReuse.REQUIRED,
                PortRanges.ANY, null, null, true, 0, true, 300, 60, 0, 0, 3, 1000, IpFilter.ALLOW_ALL, false);
    }

    public ListenerSettings withImplicitSsl(boolean value) {
        return new ListenerSettings(name, host, port, value, tlsRequired, dataImplicitSsl, tlsSessionReuse,
                passivePorts, passiveAddress, passiveExternalAddress, activeEnabled, activeLocalPort, dataIpCheck,
                idleTimeoutSeconds, dataTimeoutSeconds, maxConnections, maxConnectionsPerIp, maxLoginFailures,
                loginFailureDelayMillis, ipFilter, syncUploads);
    }
}
