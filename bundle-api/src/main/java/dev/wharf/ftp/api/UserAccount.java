package dev.wharf.ftp.api;

import java.nio.file.Path;
import java.util.Objects;

/** What Wharf needs to know about an authenticated user. Immutable; build one with {@link #builder(String, Path)}. */
public final class UserAccount {

    private final String name;
    private final Path home;
    private final boolean writable;
    private final int maxSessions;
    private final int maxSessionsPerIp;
    private final int idleTimeoutSeconds;
    private final TlsRequirement tlsRequired;
    private final javax.security.auth.x500.X500Principal certificateSubject;
    private final CertificateLogin certificateLogin;

    /** What a client certificate mapped to this user ({@link #certificateSubject()}) stands for. */
    public enum CertificateLogin {
        /** The certificate alone logs the user in; no password is asked for. */
        CERTIFICATE,
        /** The certificate and the password are both required. */
        CERTIFICATE_AND_PASSWORD
    }

    private UserAccount(Builder b) {
        this.name = b.name;
        this.home = b.home;
        this.writable = b.writable;
        this.maxSessions = b.maxSessions;
        this.maxSessionsPerIp = b.maxSessionsPerIp;
        this.idleTimeoutSeconds = b.idleTimeoutSeconds;
        this.tlsRequired = b.tlsRequired;
        this.certificateSubject = b.certificateSubject;
        this.certificateLogin = b.certificateLogin;
    }

    /** @param name the login name; @param home the directory that becomes the user's virtual root */
    public static Builder builder(String name, Path home) {
        return new Builder(name, home);
    }

    /** A builder holding every value of {@code account}, to change some (a hook adjusting a login, say). */
    public static Builder builder(UserAccount account) {
        return new Builder(account.name, account.home)
                .writable(account.writable)
                .maxSessions(account.maxSessions)
                .maxSessionsPerIp(account.maxSessionsPerIp)
                .idleTimeoutSeconds(account.idleTimeoutSeconds)
                .tlsRequired(account.tlsRequired)
                .certificate(account.certificateSubject, account.certificateLogin);
    }

    public String name() {
        return name;
    }

    /** The user's virtual root: nothing outside it is reachable. */
    public Path home() {
        return home;
    }

    /** Whether the user may change files (upload, delete, create and remove directories). */
    public boolean writable() {
        return writable;
    }

    /** Concurrent sessions allowed for this user; 0 = unlimited. */
    public int maxSessions() {
        return maxSessions;
    }

    /** Concurrent sessions allowed for this user from one address; 0 = unlimited. */
    public int maxSessionsPerIp() {
        return maxSessionsPerIp;
    }

    /** Idle timeout for this user's sessions in seconds; 0 = the listener's. */
    public int idleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    /** The user's own TLS requirement; the listener's applies too, and the stricter wins. */
    public TlsRequirement tlsRequired() {
        return tlsRequired;
    }

    /** The subject of a client certificate that identifies this user, or null. */
    public javax.security.auth.x500.X500Principal certificateSubject() {
        return certificateSubject;
    }

    /** Whether a matching client certificate replaces the password or comes in addition to it. */
    public CertificateLogin certificateLogin() {
        return certificateLogin;
    }

    /** Builds {@link UserAccount}s. */
    public static final class Builder {
        private final String name;
        private Path home;
        private boolean writable;
        private int maxSessions;
        private int maxSessionsPerIp;
        private int idleTimeoutSeconds;
        private TlsRequirement tlsRequired = TlsRequirement.NONE;
        private javax.security.auth.x500.X500Principal certificateSubject;
        private CertificateLogin certificateLogin = CertificateLogin.CERTIFICATE_AND_PASSWORD;

        private Builder(String name, Path home) {
            this.name = Objects.requireNonNull(name, "name");
            this.home = Objects.requireNonNull(home, "home");
        }

        /** The directory that becomes the user's virtual root. */
        public Builder home(Path value) {
            this.home = Objects.requireNonNull(value, "home");
            return this;
        }

        public Builder writable(boolean value) {
            this.writable = value;
            return this;
        }

        public Builder maxSessions(int value) {
            this.maxSessions = value;
            return this;
        }

        public Builder maxSessionsPerIp(int value) {
            this.maxSessionsPerIp = value;
            return this;
        }

        public Builder idleTimeoutSeconds(int value) {
            this.idleTimeoutSeconds = value;
            return this;
        }

        public Builder tlsRequired(TlsRequirement value) {
            this.tlsRequired = Objects.requireNonNull(value, "tlsRequired");
            return this;
        }

        /** @param subject the client certificate subject mapped to this user; null for none */
        public Builder certificate(javax.security.auth.x500.X500Principal subject, CertificateLogin login) {
            this.certificateSubject = subject;
            this.certificateLogin = Objects.requireNonNull(login, "login");
            return this;
        }

        public UserAccount build() {
            return new UserAccount(this);
        }
    }
}
