package dev.wharf.ftp.impl.tls;

/** Key material or TLS parameters that cannot be used; the message says which and why. */
public final class TlsConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlsConfigException(String message) {
        super(message);
    }

    public TlsConfigException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
