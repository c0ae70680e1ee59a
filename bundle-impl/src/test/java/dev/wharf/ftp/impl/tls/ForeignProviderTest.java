package dev.wharf.ftp.impl.tls;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.TlsSettings.ClientAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Security;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Key material while another party has installed a BouncyCastle provider globally, as Karaf's ssh feature does
 * (Apache MINA SSHD calls {@code Security.addProvider(new BouncyCastleProvider())} when its server starts).
 * BouncyCastle answers a lookup for the KeyFactory "ECDSA", which the JDK does not have, and names its EC keys
 * "ECDSA" where the JDK says "EC": Wharf's PEM reading and key check must not depend on who is installed.
 */
public class ForeignProviderTest {

    @ClassRule
    public static final TemporaryFolder TEMP = new TemporaryFolder();

    private static TestPki pki;
    private static TestPki.Issued rsa;
    private static TestPki.Issued ec;
    private static Path dir;

    @BeforeClass
    public static void issue() throws Exception {
        pki = new TestPki();
        rsa = pki.issue("CN=rsa.test", "RSA");
        ec = pki.issue("CN=ec.test", "EC");
        dir = TEMP.getRoot().toPath();
    }

    /** Runs the action with a BouncyCastle provider installed at the end of the list, as sshd installs it. */
    private static void withGlobalBouncyCastle(org.junit.function.ThrowingRunnable action) throws Throwable {
        assertNull("no BC provider installed before the test", Security.getProvider("BC"));
        Security.addProvider(new BouncyCastleProvider());
        try {
            action.run();
        } finally {
            Security.removeProvider("BC");
        }
    }

    @Test
    public void pemKeysLoadWhileBouncyCastleIsInstalledGlobally() throws Throwable {
        withGlobalBouncyCastle(() -> {
            // PKCS#8
            TlsContextBuilder.build(pki.pem(dir, "ec8", ec));
            TlsContextBuilder.build(pki.pem(dir, "rsa8", rsa));
            // SEC1 ("EC PRIVATE KEY") and PKCS#1 ("RSA PRIVATE KEY")
            TlsContextBuilder.build(traditional(pki.pem(dir, "ec1", ec), ec));
            TlsContextBuilder.build(traditional(pki.pem(dir, "rsa1", rsa), rsa));
        });
    }

    /** The key file rewritten as PKCS#1 ("RSA PRIVATE KEY") or SEC1 with its curve ("EC PRIVATE KEY"),
            as OpenSSL writes them. */
    private static TlsSpec traditional(TlsSpec spec, TestPki.Issued issued) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(issued.keys().getPrivate().getEncoded());
        PemObject pem;
        if (issued.keys().getPrivate() instanceof java.security.interfaces.ECPrivateKey key) {
            // the JDK's PKCS#8 keeps the curve in the algorithm identifier only; SEC1 carries it inside
            pem = new PemObject("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(
                    key.getParams().getOrder().bitLength(), key.getS(),
                    info.getPrivateKeyAlgorithm().getParameters()).getEncoded());
        } else {
            pem = new PemObject("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded());
        }
        TestPki.writePem(spec.privateKey(), pem);
        return spec;
    }

    @Test
    public void aKeyThatDoesNotBelongIsStillRefusedWhileBouncyCastleIsInstalled() throws Throwable {
        withGlobalBouncyCastle(() -> {
            TlsSpec mismatch = pki.pem(dir, "mismatch", rsa);
            TestPki.writePem(mismatch.privateKey(),
                    new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pki.issue("CN=other",
                            "RSA").keys().getPrivate(), null));
            TlsConfigException e = assertThrows(TlsConfigException.class, () -> TlsContextBuilder.build(mismatch));
            assertTrue(e.getMessage(), e.getMessage().contains("does not belong"));
        });
    }

    /** The self-signed pair is created once and then kept: a failing check must not replace it at every start. */
    @Test
    public void selfSignedCertificateIsKeptWhileBouncyCastleIsInstalled() throws Throwable {
        Path ssDir = dir.resolve("selfsigned");
        TlsSpec spec = new TlsSpec("default", null, null, null, null, null, null, null, null, null, null,
                ClientAuth.NONE, List.of("TLSv1.3", "TLSv1.2"), List.of(), true, ssDir);
        TlsContextBuilder.build(spec);
        byte[] first = Files.readAllBytes(ssDir.resolve("ssl-default.crt"));
        withGlobalBouncyCastle(() -> {
            TlsContextBuilder.build(spec);
            assertArrayEquals(first, Files.readAllBytes(ssDir.resolve("ssl-default.crt")));
        });
    }

    /**
     * A key the installed BouncyCastle's KeyFactory "ECDSA" made (named "ECDSA"; the JDK's SunEC refuses to sign
     * with it: "Not an EC key: ECDSA") against the JDK's public key ("EC") of its certificate.
     */
    @Test
    public void keyCheckComparesKeyTypesNotProviderNames() throws Throwable {
        withGlobalBouncyCastle(() -> {
            PrivateKey bcKey = KeyFactory.getInstance("ECDSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(ec.keys().getPrivate().getEncoded()));
            assertEquals("ECDSA", bcKey.getAlgorithm());
            assertEquals("EC", ec.certificate().getPublicKey().getAlgorithm());
            KeyPairCheck.requireMatch(bcKey, ec.certificate(), "test", "private.key");
            TlsConfigException e = assertThrows(TlsConfigException.class,
                    () -> KeyPairCheck.requireMatch(bcKey, rsa.certificate(), "test", "private.key"));
            assertTrue(e.getMessage(), e.getMessage().contains("the private key is EC but certificate 'CN=rsa.test' "
                    + "has a RSA key"));
        });
    }
}
