package dev.wharf.ftp.impl.tls;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.TlsSettings.ClientAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The self-signed certificate is made once and kept: clients may have pinned it. Only a missing or expired one is
 * replaced; a damaged one, or half a pair, is reported and left alone.
 */
public class SelfSignedCertificateTest {

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    private TlsSpec spec(Path dir) {
        return new TlsSpec("default", null, null, null, null, null, null, null, null, null, null, ClientAuth.NONE,
                List.of("TLSv1.3", "TLSv1.2"), List.of(), true, dir);
    }

    @Test
    public void isMadeOnceAndKept() throws Exception {
        Path dir = temp.getRoot().toPath();
        TlsContextBuilder.build(spec(dir));
        byte[] first = Files.readAllBytes(dir.resolve("ssl-default.crt"));
        TlsContextBuilder.build(spec(dir));
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("ssl-default.crt")));
    }

    @Test
    public void aDamagedCertificateIsReportedAndNotReplaced() throws Exception {
        Path dir = temp.getRoot().toPath();
        TlsContextBuilder.build(spec(dir));
        Files.writeString(dir.resolve("ssl-default.crt"), "damaged");
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> TlsContextBuilder.build(spec(dir)));
        assertTrue(e.getMessage(), e.getMessage().contains(dir.resolve("ssl-default.crt") + " cannot be read"));
        assertArrayEquals("damaged".getBytes(), Files.readAllBytes(dir.resolve("ssl-default.crt")));
    }

    @Test
    public void halfAPairIsReportedAndNotReplaced() throws Exception {
        Path dir = temp.getRoot().toPath();
        TlsContextBuilder.build(spec(dir));
        Files.delete(dir.resolve("ssl-default.key"));
        byte[] certificate = Files.readAllBytes(dir.resolve("ssl-default.crt"));
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> TlsContextBuilder.build(spec(dir)));
        assertTrue(e.getMessage(), e.getMessage().contains("ssl-default.key is missing"));
        assertArrayEquals(certificate, Files.readAllBytes(dir.resolve("ssl-default.crt")));
        assertFalse(Files.exists(dir.resolve("ssl-default.key")));
    }

    @Test
    public void anExpiredCertificateIsReplaced() throws Exception {
        Path dir = temp.getRoot().toPath();
        TestPki pki = new TestPki();
        TestPki.Issued old = pki.issue("CN=old", "EC", Instant.now().minus(Duration.ofDays(10)), Duration.ofDays(1));
        TestPki.writePem(dir.resolve("ssl-default.crt"), old.certificate());
        TestPki.writePem(dir.resolve("ssl-default.key"),
                new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(old.keys().getPrivate(), null));
        TlsContextBuilder.build(spec(dir));
        assertTrue(KeyMaterial.readCertificates(dir.resolve("ssl-default.crt")).get(0).getNotAfter().toInstant()
                .isAfter(Instant.now()));
    }
}
