package dev.wharf.ftp.impl.settings;

/**
 * How a listener opens data connections.
 *
 * @param passivePorts the ports passive sockets bind to
 * @param passiveAddress the address passive sockets bind to; null for the control connection's local address
 * @param passiveExternalAddress the address PASV announces (behind NAT), by the client's network
 * @param activeEnabled whether PORT and EPRT are allowed
 * @param activeLocalPort the source port of active connections; 0 for any
 * @param ipCheck data connections only with the control connection's client
 * @param timeoutSeconds a data connection that makes no progress for this long is closed
 */
public record DataPolicy(PortRanges passivePorts, String passiveAddress, PassiveAddresses passiveExternalAddress,
        boolean activeEnabled, int activeLocalPort, boolean ipCheck, int timeoutSeconds) {
}
