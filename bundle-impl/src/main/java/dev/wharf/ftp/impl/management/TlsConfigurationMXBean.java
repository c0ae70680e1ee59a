package dev.wharf.ftp.impl.management;

/**
 * One TLS configuration in JMX, named {@code dev.wharf:type=TlsConfiguration,name=<name>}: the certificate it
 * serves and how soon that expires.
 */
public interface TlsConfigurationMXBean {

    String getName();

    /** The served certificate's subject, or an empty text while there is none (see {@link #getProblem()}). */
    String getCertificateSubject();

    /** When the served certificate expires (ISO-8601), or an empty text. */
    String getCertificateNotAfter();

    /** Whole days until the served certificate expires; -1 while there is none. */
    long getCertificateExpiresInDays();

    /** Whether the certificate expires within the configuration's expiry.warning.days. */
    boolean isCertificateExpiresSoon();

    /** Why the configuration cannot be used now, or an empty text. */
    String getProblem();
}
