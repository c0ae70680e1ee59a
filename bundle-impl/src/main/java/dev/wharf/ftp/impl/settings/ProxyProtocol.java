package dev.wharf.ftp.impl.settings;

/** Which PROXY protocol header (HAProxy's specification) a listener's connections start with. */
public enum ProxyProtocol {
    /** None: the connection's own peer is the client. */
    NONE,
    /** The text header, {@code PROXY TCP4 ...\r\n} (HAProxy's {@code send-proxy}). */
    V1,
    /** The binary header (HAProxy's {@code send-proxy-v2}). */
    V2
}
