package dev.wharf.ftp.impl.management;

import dev.wharf.ftp.api.SslConfiguration;
import dev.wharf.ftp.api.TlsSettings;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.function.IntSupplier;

/** {@link TlsConfigurationMXBean} over an SSL configuration. */
public final class TlsConfigurationManagement implements TlsConfigurationMXBean {

    private final SslConfiguration ssl;
    private final IntSupplier warningDays;

    /** @param warningDays the configuration's expiry.warning.days, read at each question (it may change) */
    public TlsConfigurationManagement(SslConfiguration ssl, IntSupplier warningDays) {
        this.ssl = ssl;
        this.warningDays = warningDays;
    }

    private X509Certificate certificate() {
        TlsSettings settings = ssl.current();
        return settings == null ? null : settings.certificate();
    }

    @Override
    public String getName() {
        return ssl.name();
    }

    @Override
    public String getCertificateSubject() {
        X509Certificate c = certificate();
        return c == null ? "" : c.getSubjectX500Principal().getName();
    }

    @Override
    public String getCertificateNotAfter() {
        X509Certificate c = certificate();
        return c == null ? "" : c.getNotAfter().toInstant().toString();
    }

    @Override
    public long getCertificateExpiresInDays() {
        X509Certificate c = certificate();
        return c == null ? -1 : dev.wharf.ftp.impl.tls.CertificateExpiry.daysLeft(c, Instant.now());
    }

    @Override
    public boolean isCertificateExpiresSoon() {
        long days = getCertificateExpiresInDays();
        return days >= 0 && days < warningDays.getAsInt();
    }

    @Override
    public String getProblem() {
        String problem = ssl.problem();
        return problem == null ? "" : problem;
    }
}
