package dev.wharf.ftp.impl.tls;

/**
 * Key material or TLS parameters that cannot be used; the message says which, why, and which configuration key
 * to look at.
 */
public final class TlsConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlsConfigException(String message) {
        super(message);
    }

    /** @param key the configuration key whose value is the cause, e.g. {@code keystore.password} */
    public TlsConfigException(String key, String message) {
        super(message + " (key '" + key + "')");
    }

    /** @param key the configuration key whose value is the cause, or null */
    public TlsConfigException(String key, String message, Throwable cause) {
        super(message + ": " + describe(cause) + (key != null ? " (key '" + key + "')" : ""), cause);
    }

    private static String describe(Throwable cause) {
        String m = cause.getMessage();
        return m == null || m.isBlank() ? cause.getClass().getSimpleName() : m;
    }
}
