package dev.wharf.ftp.impl.tls;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A served certificate near its end is warned about, naming the configuration, the date and the key. */
public class CertificateExpiryTest {

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void aCertificateExpiringWithinTheWarningDaysIsWarnedAbout() throws Exception {
        TestPki pki = new TestPki();
        Path dir = temp.newFolder().toPath();
        TestPki.Issued soon = pki.issue("CN=soon.test", "EC", Instant.now().minus(Duration.ofDays(1)),
                Duration.ofDays(11));
        TlsSettings settings = TlsContextBuilder.build(pki.pem(dir, "soon", soon));
        assertEquals("the settings carry the served certificate", soon.certificate(), settings.certificate());

        Instant now = Instant.now();
        assertEquals(9, CertificateExpiry.daysLeft(settings.certificate(), now));
        Optional<String> warning = CertificateExpiry.warning("default", "etc/dev.wharf.ftp.ssl-default.cfg",
                settings.certificate(), 30, now);
        assertTrue(warning.isPresent());
        assertTrue(warning.get(), warning.get().startsWith("TLS configuration 'default': certificate 'CN=soon.test' "
                + "expires on " + soon.certificate().getNotAfter().toInstant() + ", in 9 days; renew it "
                + "(etc/dev.wharf.ftp.ssl-default.cfg, warned from expiry.warning.days = 30 days before)"));
        assertEquals("further off than the warning days", Optional.empty(),
                CertificateExpiry.warning("default", "x", settings.certificate(), 9, now));
        assertEquals("0 days: never", Optional.empty(),
                CertificateExpiry.warning("default", "x", settings.certificate(), 0, now));
    }
}
