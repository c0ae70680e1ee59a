package dev.wharf.ftp.impl.tls;

import dev.wharf.ftp.api.TlsSettings.ClientAuth;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A small CA for tests: server and client certificates, written as PKCS12, JKS or PEM. */
public final class TestPki {

    /** A key and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
    }

    private final Issued ca;

    public TestPki() throws Exception {
        KeyPair caKeys = keys("EC");
        X500Name name = new X500Name("CN=Wharf Test CA");
        ca = new Issued(caKeys, sign(name, caKeys, name, caKeys.getPrivate(), true, Instant.now(),
                Duration.ofDays(30)));
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    public Issued issue(String subject, String keyType) throws Exception {
        return issue(subject, keyType, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(30));
    }

    public Issued issue(String subject, String keyType, Instant notBefore, Duration validity) throws Exception {
        KeyPair k = keys(keyType);
        // Through X500Principal, so the name is encoded in RFC 2253 order, as OpenSSL and keytool write it.
        X500Name name = X500Name.getInstance(new javax.security.auth.x500.X500Principal(subject).getEncoded());
        return new Issued(k, sign(name, k, new X500Name("CN=Wharf Test CA"), ca.keys().getPrivate(),
                false, notBefore, validity));
    }

    private static KeyPair keys(String type) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(type);
        g.initialize(type.equals("RSA") ? 2048 : 256, new SecureRandom());
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey signer,
            boolean ca, Instant notBefore, Duration validity) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(new SecureRandom().nextInt(Integer.MAX_VALUE)), Date.from(notBefore),
                Date.from(notBefore.plus(validity)), subject, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        }
        String alg = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
    }

    public Path keystore(Path file, String type, Issued issued, String alias, char[] storePassword,
            char[] keyPassword) throws Exception {
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(null, null);
        ks.setKeyEntry(alias, issued.keys().getPrivate(), keyPassword,
                new Certificate[] {issued.certificate(), ca.certificate()});
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, storePassword);
        }
        return file;
    }

    public Path truststore(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.certificate());
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, "trust".toCharArray());
        }
        return file;
    }

    /** Writes {@code name.crt} (chain) and {@code name.key} (PKCS#8) and returns the spec that uses them. */
    public TlsSpec pem(Path dir, String name, Issued issued) throws Exception {
        Path crt = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        writePem(crt, issued.certificate(), ca.certificate());
        writePem(key, new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(issued.keys().getPrivate(), null));
        return new TlsSpec(name, null, null, null, null, null, crt, key, null, null, null, ClientAuth.NONE,
                List.of("TLSv1.3", "TLSv1.2"), List.of(), false, null);
    }

    public static void writePem(Path file, Object... items) throws Exception {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (Object item : items) {
                pem.writeObject(item);
            }
        }
    }

    /** Key managers presenting this certificate, for a test client. */
    public KeyManager[] clientKeyManagers(Issued issued) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", issued.keys().getPrivate(), "x".toCharArray(),
                new Certificate[] {issued.certificate(), ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        return kmf.getKeyManagers();
    }

    /** A spec with a truststore holding this CA and the given client-auth mode. */
    public TlsSpec withClientAuth(TlsSpec spec, Path truststore, ClientAuth auth) {
        return new TlsSpec(spec.name(), spec.keystore(), spec.keystoreType(), spec.keystorePassword(), spec.keyAlias(),
                spec.keyPassword(), spec.certificate(), spec.privateKey(), truststore, null, "trust".toCharArray(),
                auth, spec.protocols(), spec.cipherSuites(), spec.selfSigned(), spec.selfSignedDirectory());
    }
}
