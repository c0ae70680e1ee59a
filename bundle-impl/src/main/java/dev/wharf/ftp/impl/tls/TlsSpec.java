package dev.wharf.ftp.impl.tls;

import dev.wharf.ftp.api.TlsSettings.ClientAuth;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a TLS configuration's key material comes from and how sockets are set up: the plain-Java form of a
 * {@code dev.wharf.ftp.ssl} configuration. Paths may be null where a key is unset.
 */
public record TlsSpec(
        String name,
        Path keystore,
        String keystoreType,
        char[] keystorePassword,
        String keyAlias,
        char[] keyPassword,
        Path certificate,
        Path privateKey,
        Path truststore,
        String truststoreType,
        char[] truststorePassword,
        ClientAuth clientAuth,
        List<String> protocols,
        List<String> cipherSuites,
        boolean selfSigned,
        Path selfSignedDirectory) {

    /** The files whose change on disk should reload this configuration. */
    public List<Path> watchedFiles() {
        return java.util.stream.Stream.of(keystore, certificate, privateKey, truststore)
                .filter(java.util.Objects::nonNull)
                .toList();
    }
}
