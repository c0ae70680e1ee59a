package dev.wharf.ftp.api;

/**
 * A named TLS configuration, published for every {@code dev.wharf.ftp.ssl} configuration with the service
 * property {@code name}. Listeners select one with their {@code ssl.target} filter.
 */
@org.osgi.annotation.versioning.ProviderType
public interface SslConfiguration {

    /** The configured name, also the service property {@code name}. */
    String name();

    /**
     * The TLS settings new connections should use, or {@code null} while this configuration cannot be used (see
     * {@link #problem()}): a caller must then refuse the connection rather than serve it without TLS. Key
     * material may be reloaded at any time; a caller keeps the snapshot it took for the lifetime of the connection
     * (and its data connections), so a reload never changes a running session.
     */
    TlsSettings current();

    /**
     * Why this configuration cannot be used right now, in one line that names its file (or PID) and the reason;
     * {@code null} when it can. A configuration that cannot be used is retried when its files or its
     * configuration change, and recovers by itself once fixed.
     *
     * @since 1.1
     */
    String problem();
}
