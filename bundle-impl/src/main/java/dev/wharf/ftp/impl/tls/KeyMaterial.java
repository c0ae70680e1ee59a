package dev.wharf.ftp.impl.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/**
 * Loads a server's private key and certificate chain from a keystore (PKCS12 or JKS) or from PEM files, and
 * checks that they can serve: the key matches the certificate and the certificate is within its validity.
 */
final class KeyMaterial {

    /** The in-memory keystore handed to the key manager, and the password of its single key entry. */
    record Loaded(KeyStore keyStore, char[] keyPassword, X509Certificate certificate) {
    }

    static final String ALIAS = "server";

    private KeyMaterial() {
    }

    static Loaded fromKeystore(Path file, String type, char[] storePassword, String alias, char[] keyPassword)
            throws TlsConfigException {
        KeyStore source = loadStore(file, type, storePassword, "keystore");
        try {
            String chosen = alias != null ? alias : firstKeyAlias(source, file);
            if (!source.isKeyEntry(chosen)) {
                throw new TlsConfigException("key.alias", "keystore " + file + " has no key entry with alias '"
                        + chosen + "'");
            }
            char[] password = keyPassword != null ? keyPassword : storePassword;
            PrivateKey key = (PrivateKey) source.getKey(chosen, password);
            Certificate[] chain = source.getCertificateChain(chosen);
            if (key == null || chain == null || chain.length == 0) {
                throw new TlsConfigException("key.alias", "keystore " + file + ": alias '" + chosen
                        + "' has no certificate chain");
            }
            return single(key, chain, "keystore " + file, "keystore");
        } catch (java.security.UnrecoverableKeyException e) {
            throw new TlsConfigException("key.password", "keystore " + file + ": wrong key password");
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException("keystore", "keystore " + file + " cannot be read", e);
        }
    }

    static Loaded fromPem(Path certificateFile, Path keyFile) throws TlsConfigException {
        List<X509Certificate> chain = readCertificates(certificateFile);
        if (chain.isEmpty()) {
            throw new TlsConfigException("certificate", "certificate file " + certificateFile
                    + " holds no certificate");
        }
        PrivateKey key = readPrivateKey(keyFile);
        return single(key, chain.toArray(new Certificate[0]), "certificate file " + certificateFile, "private.key");
    }

    static KeyStore loadStore(Path file, String type, char[] password, String what) throws TlsConfigException {
        if (!Files.isReadable(file)) {
            throw new TlsConfigException(what, what + " " + file + " does not exist or cannot be read");
        }
        try {
            if (type == null || type.isBlank()) {
                // The JDK detects PKCS12 and JKS from the file's content.
                return KeyStore.getInstance(file.toFile(), password);
            }
            KeyStore store = KeyStore.getInstance(type.trim().toUpperCase(java.util.Locale.ROOT));
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, password);
            }
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new TlsConfigException(what + ".password", what + " " + file + ": wrong password");
            }
            throw new TlsConfigException(what, what + " " + file
                    + " cannot be read (wrong password or not a keystore)", e);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(what, what + " " + file + " cannot be read", e);
        }
    }

    private static String firstKeyAlias(KeyStore store, Path file) throws GeneralSecurityException, TlsConfigException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return alias;
            }
        }
        throw new TlsConfigException("keystore", "keystore " + file + " holds no private key");
    }

    /**
     * Checks that the leaf certificate is valid now and that the key belongs to it, and puts both into an
     * in-memory keystore.
     *
     * @param from where the material was read, for messages (e.g. {@code keystore /etc/wharf/server.p12})
     * @param keyKey the configuration key to name when the key does not match
     */
    private static Loaded single(PrivateKey key, Certificate[] chain, String from, String keyKey)
            throws TlsConfigException {
        X509Certificate leaf = (X509Certificate) chain[0];
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new TlsConfigException(from + ": certificate '" + leaf.getSubjectX500Principal() + "' expired on "
                    + leaf.getNotAfter());
        } catch (CertificateNotYetValidException e) {
            throw new TlsConfigException(from + ": certificate '" + leaf.getSubjectX500Principal()
                    + "' is valid only from " + leaf.getNotBefore());
        }
        KeyPairCheck.requireMatch(key, leaf, from, keyKey);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = "wharf".toCharArray();
            store.setKeyEntry(ALIAS, key, password, chain);
            return new Loaded(store, password, leaf);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigException(null, from + ": key material cannot be used", e);
        }
    }

    static List<X509Certificate> readCertificates(Path file) throws TlsConfigException {
        if (!Files.isReadable(file)) {
            throw new TlsConfigException("certificate", "certificate file " + file
                    + " does not exist or cannot be read");
        }
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigException("certificate", "certificate file " + file + " cannot be read", e);
        }
    }

    private static PrivateKey readPrivateKey(Path file) throws TlsConfigException {
        if (!Files.isReadable(file)) {
            throw new TlsConfigException("private.key", "private key file " + file
                    + " does not exist or cannot be read");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    // SEC1 EC keys may omit the public key: read the private part only.
                    return jdkPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo info) {
                    return jdkPrivateKey(info);
                }
            }
            throw new TlsConfigException("private.key", "private key file " + file
                    + " holds no unencrypted private key (PKCS#8, PKCS#1 RSA or SEC1 EC PEM)");
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigException("private.key", "private key file " + file + " cannot be read", e);
        }
    }

    /**
     * A PEM key as a key of the JDK's own providers. Not BouncyCastle's PEM converter: it asks for the KeyFactory
     * "ECDSA", which only a BouncyCastle provider has, and in Karaf one is installed globally by the ssh feature;
     * the key would then be another bundle's object, named "ECDSA" where its certificate's key says "EC".
     */
    private static PrivateKey jdkPrivateKey(PrivateKeyInfo info) throws IOException, GeneralSecurityException {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = X9ObjectIdentifiers.id_ecPublicKey.equals(oid) ? "EC"
                : PKCSObjectIdentifiers.rsaEncryption.equals(oid) ? "RSA"
                : oid.getId(); // the JDK's providers know their algorithms by OID as well
        return JdkProviders.keyFactory(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }
}
