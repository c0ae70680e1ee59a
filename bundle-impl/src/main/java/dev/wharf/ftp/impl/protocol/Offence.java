package dev.wharf.ftp.impl.protocol;

/** What a client did that the server's defender scores against its address. */
public enum Offence {
    /** A refused login (a wrong password, an unknown user, ...). */
    LOGIN_FAILED,
    /** A TLS handshake on the control connection that failed or did not finish in time. */
    TLS_HANDSHAKE,
    /** A command line too long, or a login or command line not complete within its deadline. */
    PROTOCOL_ABUSE
}
