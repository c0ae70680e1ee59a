package dev.wharf.ftp.impl.tls;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.TlsSettings;
import dev.wharf.ftp.api.TlsSettings.ClientAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Key material in every supported form, and clear errors for material that cannot serve. */
public class TlsMaterialTest {

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

    private static TlsSpec keystoreSpec(Path file, String type, String storePw, String alias, String keyPw) {
        return new TlsSpec("ks", file, type, storePw.toCharArray(), alias, keyPw == null ? null : keyPw.toCharArray(),
                null, null, null, null, null, ClientAuth.NONE, List.of("TLSv1.3", "TLSv1.2"), List.of(), false, null);
    }

    @Test
    public void loadsPkcs12WithAliasAndKeyPassword() throws Exception {
        Path p12 = pki.keystore(dir.resolve("a.p12"), "PKCS12", rsa, "server", "store".toCharArray(),
                "store".toCharArray());
        TlsSettings s = TlsContextBuilder.build(keystoreSpec(p12, null, "store", "server", null));
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), s.protocols());
        assertTrue(s.cipherSuites().stream().allMatch(c -> c.contains("GCM")));
    }

    @Test
    public void loadsJksWithItsOwnKeyPassword() throws Exception {
        Path jks = pki.keystore(dir.resolve("a.jks"), "JKS", ec, "mykey", "store".toCharArray(), "keypw".toCharArray());
        TlsContextBuilder.build(keystoreSpec(jks, "JKS", "store", "mykey", "keypw"));
        TlsContextBuilder.build(keystoreSpec(jks, null, "store", null, "keypw")); // type detected, first key
    }

    @Test
    public void loadsPemRsaAndEc() throws Exception {
        TlsContextBuilder.build(pki.pem(dir, "rsa", rsa));
        TlsContextBuilder.build(pki.pem(dir, "ec", ec));
    }

    @Test
    public void explainsBadMaterial() throws Exception {
        Path p12 = pki.keystore(dir.resolve("b.p12"), "PKCS12", rsa, "server", "store".toCharArray(),
                "store".toCharArray());
        assertMessage("wrong password (key 'keystore.password')",
                () -> TlsContextBuilder.build(keystoreSpec(p12, null, "nope", null, null)));
        assertMessage("no key entry with alias 'other' (key 'key.alias')",
                () -> TlsContextBuilder.build(keystoreSpec(p12, null, "store", "other", null)));
        assertMessage("does not exist", () -> TlsContextBuilder.build(keystoreSpec(dir.resolve("missing.p12"), null,
                "x", null, null)));
        TestPki.Issued expired = pki.issue("CN=old", "EC", Instant.now().minus(Duration.ofDays(10)),
                Duration.ofDays(1));
        assertMessage("expired", () -> TlsContextBuilder.build(pki.pem(dir, "expired", expired)));
        TlsSpec mismatch = pki.pem(dir, "mismatch", rsa);
        TestPki.writePem(mismatch.privateKey(),
                new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(ec.keys().getPrivate(), null));
        assertMessage("the private key is EC but certificate 'CN=rsa.test' has a RSA key (key 'private.key')",
                () -> TlsContextBuilder.build(mismatch));
        TlsSpec otherEc = pki.pem(dir, "other-ec", pki.issue("CN=other.test", "EC"));
        TestPki.writePem(otherEc.privateKey(),
                new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(ec.keys().getPrivate(), null));
        assertMessage("the private key does not belong to certificate 'CN=other.test' (key 'private.key')",
                () -> TlsContextBuilder.build(otherEc));
        TlsSpec good = pki.pem(dir, "good", ec);
        assertMessage("needs a truststore with the CAs that sign client certificates (key 'truststore')",
                () -> TlsContextBuilder.build(pki.withClientAuth(good, null, ClientAuth.NEED)));
        assertMessage("only TLSv1.2 and TLSv1.3", () -> TlsContextBuilder.build(withProtocols(good,
                List.of("TLSv1.1"))));
        assertMessage("TLS_FAKE is not supported by the TLS provider (key 'cipher.suites')",
                () -> TlsContextBuilder.build(withSuites(good, List.of("TLS_FAKE"))));
        Files.writeString(good.certificate(), "garbage");
        assertMessage("good.crt cannot be read", () -> TlsContextBuilder.build(good));
    }

    private static TlsSpec withProtocols(TlsSpec s, List<String> protocols) {
        return new TlsSpec(s.name(), s.keystore(), s.keystoreType(), s.keystorePassword(), s.keyAlias(),
                s.keyPassword(),
                s.certificate(), s.privateKey(), s.truststore(), s.truststoreType(), s.truststorePassword(),
                s.clientAuth(), protocols, s.cipherSuites(), s.selfSigned(), s.selfSignedDirectory());
    }

    private static TlsSpec withSuites(TlsSpec s, List<String> suites) {
        return new TlsSpec(s.name(), s.keystore(), s.keystoreType(), s.keystorePassword(), s.keyAlias(),
                s.keyPassword(),
                s.certificate(), s.privateKey(), s.truststore(), s.truststoreType(), s.truststorePassword(),
                s.clientAuth(), s.protocols(), suites, s.selfSigned(), s.selfSignedDirectory());
    }

    private static void assertMessage(String expected, org.junit.function.ThrowingRunnable r) {
        TlsConfigException e = assertThrows(TlsConfigException.class, r);
        assertTrue(e.getMessage(), e.getMessage().contains(expected));
    }

    @Test
    public void keepsTheSelfSignedCertificateAcrossStarts() throws Exception {
        Path ssDir = dir.resolve("selfsigned");
        TlsSpec spec = new TlsSpec("default", null, null, null, null, null, null, null, null, null, null,
                ClientAuth.NONE, List.of("TLSv1.3", "TLSv1.2"), List.of(), true, ssDir);
        TlsContextBuilder.build(spec);
        byte[] first = Files.readAllBytes(ssDir.resolve("ssl-default.crt"));
        TlsContextBuilder.build(spec);
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(ssDir.resolve("ssl-default.crt"))));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(ssDir.resolve("ssl-default.key"))));
    }
}
