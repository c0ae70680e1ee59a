package dev.wharf.ftp.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

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
    private final long uploadRate;
    private final long downloadRate;
    private final long quotaBytes;
    private final long quotaFiles;
    private final List<String> allow;
    private final List<String> deny;
    private final int umask;

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
        this.uploadRate = b.uploadRate;
        this.downloadRate = b.downloadRate;
        this.quotaBytes = b.quotaBytes;
        this.quotaFiles = b.quotaFiles;
        this.allow = b.allow;
        this.deny = b.deny;
        this.umask = b.umask;
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
                .certificate(account.certificateSubject, account.certificateLogin)
                .uploadRate(account.uploadRate)
                .downloadRate(account.downloadRate)
                .quota(account.quotaBytes, account.quotaFiles)
                .addresses(account.allow, account.deny)
                .umask(account.umask);
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

    /**
     * The user's upload limit in bytes per second, shared by all the user's transfers; 0 = unlimited; empty = the
     * listener's default.
     */
    public OptionalLong uploadRate() {
        return uploadRate < 0 ? OptionalLong.empty() : OptionalLong.of(uploadRate);
    }

    /**
     * The user's download limit in bytes per second, shared by all the user's transfers; 0 = unlimited; empty =
     * the listener's default.
     */
    public OptionalLong downloadRate() {
        return downloadRate < 0 ? OptionalLong.empty() : OptionalLong.of(downloadRate);
    }

    /** The bytes the user may keep in the home directory; 0 = unlimited. */
    public long quotaBytes() {
        return quotaBytes;
    }

    /** The files the user may keep in the home directory; 0 = unlimited. */
    public long quotaFiles() {
        return quotaFiles;
    }

    /**
     * Addresses or CIDR blocks ({@code 192.0.2.0/24}) the user may log in from, on top of the listener's own
     * filter; empty: any the listener accepts.
     */
    public List<String> allow() {
        return allow;
    }

    /** Addresses or CIDR blocks the user may not log in from, on top of the listener's own filter. */
    public List<String> deny() {
        return deny;
    }

    /**
     * The umask for files and directories the user creates (e.g. {@code 022}: files 644, directories 755); empty =
     * the listener's.
     */
    public OptionalInt umask() {
        return umask < 0 ? OptionalInt.empty() : OptionalInt.of(umask);
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
        private long uploadRate = -1;
        private long downloadRate = -1;
        private long quotaBytes;
        private long quotaFiles;
        private List<String> allow = List.of();
        private List<String> deny = List.of();
        private int umask = -1;

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

        /** Bytes per second for the user's uploads; 0 = unlimited; a negative value = the listener's default. */
        public Builder uploadRate(long bytesPerSecond) {
            this.uploadRate = Math.max(-1, bytesPerSecond);
            return this;
        }

        /** Bytes per second for the user's downloads; 0 = unlimited; a negative value = the listener's default. */
        public Builder downloadRate(long bytesPerSecond) {
            this.downloadRate = Math.max(-1, bytesPerSecond);
            return this;
        }

        /** What the user may keep in the home directory: bytes and files, 0 = unlimited. */
        public Builder quota(long bytes, long files) {
            if (bytes < 0 || files < 0) {
                throw new IllegalArgumentException("a quota cannot be negative: " + bytes + " bytes, " + files
                        + " files");
            }
            this.quotaBytes = bytes;
            this.quotaFiles = files;
            return this;
        }

        /** Addresses or CIDR blocks the user may (allow; empty: any) and may not (deny) log in from. */
        public Builder addresses(List<String> allowed, List<String> denied) {
            this.allow = List.copyOf(allowed);
            this.deny = List.copyOf(denied);
            return this;
        }

        /** The umask (0 to 0777) for what the user creates; a negative value = the listener's. */
        public Builder umask(int value) {
            if (value > 0777) {
                throw new IllegalArgumentException("a umask is 0 to 0777 (octal), not " + Integer.toOctalString(value));
            }
            this.umask = Math.max(-1, value);
            return this;
        }

        public UserAccount build() {
            return new UserAccount(this);
        }
    }
}
