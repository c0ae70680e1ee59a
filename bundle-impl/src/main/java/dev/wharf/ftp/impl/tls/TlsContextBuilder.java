package dev.wharf.ftp.impl.tls;

import dev.wharf.ftp.api.TlsSettings;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Turns a {@link TlsSpec} into {@link TlsSettings}: one BCJSSE {@link SSLContext} and its socket parameters. */
public final class TlsContextBuilder {

    /**
     * AES-GCM only: BCJSSE with JDK crypto cannot run ChaCha20 suites, and CBC suites are legacy. Forward
     * secrecy (ECDHE) for TLS 1.2.
     */
    static final List<String> DEFAULT_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

    /** TLS 1.0 and 1.1 are deprecated (RFC 8996); SSL is broken. */
    private static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private TlsContextBuilder() {
    }

    public static TlsSettings build(TlsSpec spec) throws TlsConfigException {
        KeyMaterial.Loaded key = loadKey(spec);
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", TlsProvider.jsse());
            kmf.init(key.keyStore(), key.keyPassword());
            TrustManager[] trust = null;
            if (spec.truststore() != null) {
                KeyStore store = KeyMaterial.loadStore(spec.truststore(), spec.truststoreType(),
                        spec.truststorePassword(), "truststore");
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", TlsProvider.jsse());
                tmf.init(store);
                trust = tmf.getTrustManagers();
            } else if (spec.clientAuth() != TlsSettings.ClientAuth.NONE) {
                throw new TlsConfigException("truststore", "client.auth="
                        + spec.clientAuth().name().toLowerCase(java.util.Locale.ROOT)
                        + " needs a truststore with the CAs that sign client certificates");
            }
            SSLContext context = SSLContext.getInstance("TLS", TlsProvider.jsse());
            // BCJSSE with JDK crypto needs an explicit SecureRandom: its default asks for a BC-only algorithm.
            context.init(kmf.getKeyManagers(), trust, new SecureRandom());
            SSLParameters supported = context.getSupportedSSLParameters();
            List<String> protocols = checked("protocols", spec.protocols(), supported.getProtocols(), true);
            List<String> suites = spec.cipherSuites().isEmpty()
                    ? intersect(DEFAULT_CIPHER_SUITES, supported.getCipherSuites())
                    : checked("cipher.suites", spec.cipherSuites(), supported.getCipherSuites(), false);
            return new TlsSettings(context, protocols, suites, spec.clientAuth(), key.certificate());
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(null, "the TLS context cannot be built", e);
        }
    }

    private static KeyMaterial.Loaded loadKey(TlsSpec spec) throws TlsConfigException {
        if (spec.keystore() != null) {
            return KeyMaterial.fromKeystore(spec.keystore(), spec.keystoreType(), spec.keystorePassword(),
                    spec.keyAlias(), spec.keyPassword());
        }
        if (spec.certificate() != null || spec.privateKey() != null) {
            if (spec.certificate() == null || spec.privateKey() == null) {
                throw new TlsConfigException(spec.certificate() == null ? "certificate" : "private.key",
                        "PEM key material needs both 'certificate' and 'private.key'");
            }
            return KeyMaterial.fromPem(spec.certificate(), spec.privateKey());
        }
        if (spec.selfSigned()) {
            if (spec.selfSignedDirectory() == null) {
                throw new TlsConfigException("no directory to keep a self-signed certificate in");
            }
            return SelfSignedCertificate.obtain(spec.selfSignedDirectory(), "ssl-" + spec.name());
        }
        throw new TlsConfigException("no key material: set 'keystore', or 'certificate' and 'private.key', "
                + "or self.signed=true");
    }

    private static List<String> checked(String key, List<String> wanted, String[] supported, boolean protocols)
            throws TlsConfigException {
        if (wanted.isEmpty()) {
            throw new TlsConfigException(key, "no value given");
        }
        List<String> known = Arrays.asList(supported);
        List<String> out = new ArrayList<>();
        for (String value : wanted) {
            if (protocols && !ALLOWED_PROTOCOLS.contains(value)) {
                throw new TlsConfigException(key, value + " is not allowed: only TLSv1.2 and TLSv1.3 are");
            }
            if (!known.contains(value)) {
                throw new TlsConfigException(key, value + " is not supported by the TLS provider");
            }
            out.add(value);
        }
        return out;
    }

    private static List<String> intersect(List<String> preferred, String[] supported) {
        List<String> known = Arrays.asList(supported);
        return preferred.stream().filter(known::contains).toList();
    }
}
