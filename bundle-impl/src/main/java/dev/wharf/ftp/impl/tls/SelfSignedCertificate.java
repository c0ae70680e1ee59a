package dev.wharf.ftp.impl.tls;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.logging.Logger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed EC P-256 certificate kept as two PEM files ({@code <name>.crt}, {@code <name>.key}, the key
 * readable by its owner only), created once and reused at every later start, so that clients which pinned it
 * keep trusting it. A new pair is made only when the files are missing or the certificate has expired; a pair
 * that cannot be read for any other reason (a damaged file, an I/O error) is kept as it is and reported, because
 * replacing it would break every client that pinned it.
 */
final class SelfSignedCertificate {

    private static final Logger LOG = Logger.getLogger(SelfSignedCertificate.class.getName());
    private static final Duration VALIDITY = Duration.ofDays(825);

    private SelfSignedCertificate() {
    }

    /** Returns the PEM pair for this name in the directory, creating it first if needed. */
    static KeyMaterial.Loaded obtain(Path directory, String name) throws TlsConfigException {
        Path certificate = directory.resolve(name + ".crt");
        Path key = directory.resolve(name + ".key");
        boolean certificateExists = Files.exists(certificate);
        boolean keyExists = Files.exists(key);
        if (certificateExists && keyExists) {
            if (!expired(certificate)) {
                return KeyMaterial.fromPem(certificate, key);
            }
            LOG.warning("self-signed certificate " + certificate + " has expired; making a new one");
        } else if (certificateExists || keyExists) {
            throw new TlsConfigException("self-signed key material is incomplete: " + (certificateExists ? key
                    : certificate) + " is missing; delete " + (certificateExists ? certificate : key)
                    + " as well to make a new pair");
        }
        try {
            Files.createDirectories(directory);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X509Certificate cert = sign(pair);
            writePem(key, new JcaPKCS8Generator(pair.getPrivate(), null), true);
            writePem(certificate, cert, false);
            LOG.info(() -> "created a self-signed certificate in " + certificate);
            return KeyMaterial.fromPem(certificate, key);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new TlsConfigException(null, "cannot create a self-signed certificate in " + directory, e);
        }
    }

    /** Whether the certificate file holds a certificate past its end date; errors are left to the full load. */
    private static boolean expired(Path certificate) {
        try {
            List<X509Certificate> chain = KeyMaterial.readCertificates(certificate);
            return !chain.isEmpty() && chain.get(0).getNotAfter().toInstant().isBefore(Instant.now());
        } catch (TlsConfigException unreadable) {
            return false;
        }
    }

    private static X509Certificate sign(KeyPair pair)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        String host = hostName();
        X500Name subject = new X500Name("CN=" + host + ",O=Wharf self-signed");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject,
                pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, host),
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            new GeneralName(GeneralName.iPAddress, "::1")}));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Writes the PEM file beside its final name and moves it in whole. */
    private static void writePem(Path target, Object item, boolean secret) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        if (directory == null) {
            throw new IOException("no directory for " + target);
        }
        Path temp = Files.createTempFile(directory, String.valueOf(target.getFileName()), ".tmp");
        try {
            if (secret) {
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system: rely on the directory's protection.
                }
            }
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII);
                    JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(item);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
