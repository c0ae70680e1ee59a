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
     * The TLS settings new connections should use. Key material may be reloaded at any time; a caller keeps the
     * snapshot it took for the lifetime of the connection (and its data connections), so a reload never
     * changes a running session.
     */
    TlsSettings current();
}
