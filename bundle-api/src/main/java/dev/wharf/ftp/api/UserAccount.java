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

    private UserAccount(Builder b) {
        this.name = b.name;
        this.home = b.home;
        this.writable = b.writable;
        this.maxSessions = b.maxSessions;
        this.maxSessionsPerIp = b.maxSessionsPerIp;
        this.idleTimeoutSeconds = b.idleTimeoutSeconds;
    }

    /** @param name the login name; @param home the directory that becomes the user's virtual root */
    public static Builder builder(String name, Path home) {
        return new Builder(name, home);
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

    /** Builds {@link UserAccount}s. */
    public static final class Builder {
        private final String name;
        private final Path home;
        private boolean writable;
        private int maxSessions;
        private int maxSessionsPerIp;
        private int idleTimeoutSeconds;

        private Builder(String name, Path home) {
            this.name = Objects.requireNonNull(name, "name");
            this.home = Objects.requireNonNull(home, "home");
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

        public UserAccount build() {
            return new UserAccount(this);
        }
    }
}
