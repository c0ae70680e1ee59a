package dev.wharf.ftp.impl.settings;

/**
 * What a listener allows its clients, in the units the names say; 0 means unlimited where it makes sense.
 *
 * @param idleTimeoutSeconds a session that sends no command for this long is closed
 * @param loginTimeoutSeconds a connection must log in within this long of connecting
 * @param commandTimeoutSeconds a command line, once begun, must be complete within this long
 * @param maxConnections control connections at once
 * @param maxConnectionsPerIp control connections at once from one address
 * @param maxLoginFailures failed logins before the connection is closed
 * @param loginFailureDelayMillis the pause after each failed login
 */
public record Limits(int idleTimeoutSeconds, int loginTimeoutSeconds, int commandTimeoutSeconds, int maxConnections,
        int maxConnectionsPerIp, int maxLoginFailures, int loginFailureDelayMillis) {
}
