package dev.wharf.ftp.api;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * An immutable snapshot of one TLS configuration: the context (and so the session cache shared by control
 * and data connections) plus the parameters applied to every socket made from it.
 */
public final class TlsSettings {

    /** How a server asks for client certificates. */
    public enum ClientAuth {
        /** No certificate is requested. */
        NONE,
        /** A certificate is requested; the handshake succeeds without one. */
        WANT,
        /** A valid certificate is required. */
        NEED
    }

    private final SSLContext context;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final ClientAuth clientAuth;
    private final X509Certificate certificate;

    /**
     * @param context the server context
     * @param protocols the enabled protocol versions, e.g. {@code TLSv1.3}
     * @param cipherSuites the enabled cipher suites; empty for the context's defaults
     * @param clientAuth whether client certificates are requested
     */
    public TlsSettings(SSLContext context, List<String> protocols, List<String> cipherSuites, ClientAuth clientAuth) {
        this(context, protocols, cipherSuites, clientAuth, null);
    }

    /**
     * @param certificate the server certificate the context presents (the leaf of its chain), or null if unknown
     * @since 1.2
     */
    public TlsSettings(SSLContext context, List<String> protocols, List<String> cipherSuites, ClientAuth clientAuth,
            X509Certificate certificate) {
        this.certificate = certificate;
        this.context = Objects.requireNonNull(context, "context");
        this.protocols = List.copyOf(protocols);
        this.cipherSuites = List.copyOf(cipherSuites);
        this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
    }

    public SSLContext context() {
        return context;
    }

    public List<String> protocols() {
        return protocols;
    }

    public List<String> cipherSuites() {
        return cipherSuites;
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /**
     * The server certificate clients are shown (its subject, its expiry), or null when not known.
     *
     * @since 1.2
     */
    public X509Certificate certificate() {
        return certificate;
    }
}
