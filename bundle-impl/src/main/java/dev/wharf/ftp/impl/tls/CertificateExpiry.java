package dev.wharf.ftp.impl.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When a served certificate expires, and whether that is soon enough to warn an operator. */
public final class CertificateExpiry {

    private CertificateExpiry() {
    }

    /** Whole days from {@code now} until the certificate expires (negative once it has). */
    public static long daysLeft(X509Certificate certificate, Instant now) {
        return Duration.between(now, certificate.getNotAfter().toInstant()).toDays();
    }

    /**
     * The warning for a certificate that expires within {@code warningDays} of {@code now}, naming the
     * configuration and its source; empty when it is further off, or {@code warningDays} is 0 (no warnings).
     */
    public static Optional<String> warning(String name, String source, X509Certificate certificate, int warningDays,
            Instant now) {
        if (certificate == null || warningDays <= 0) {
            return Optional.empty();
        }
        long days = daysLeft(certificate, now);
        if (days >= warningDays) {
            return Optional.empty();
        }
        return Optional.of("TLS configuration '" + name + "': certificate '" + certificate.getSubjectX500Principal()
                + "' expires on " + certificate.getNotAfter().toInstant() + ", in " + days + " days; renew it ("
                + source + ", warned from expiry.warning.days = " + warningDays + " days before)");
    }
}
