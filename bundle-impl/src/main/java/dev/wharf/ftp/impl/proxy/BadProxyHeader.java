package dev.wharf.ftp.impl.proxy;

import java.io.IOException;

/** A connection that did not start with a valid PROXY protocol header of the expected version. */
public final class BadProxyHeader extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean silent;

    BadProxyHeader(String message) {
        this(message, false);
    }

    private BadProxyHeader(String message, boolean silent) {
        super(message);
        this.silent = silent;
    }

    /** The peer closed the connection before sending a single byte: a balancer's plain TCP health check. */
    static BadProxyHeader closedBeforeAnyByte() {
        return new BadProxyHeader("closed before sending a PROXY header", true);
    }

    /** Whether the peer sent nothing at all, which is not worth more than a debug line. */
    public boolean silent() {
        return silent;
    }
}
