package dev.wharf.ftp.api.hook;

import dev.wharf.ftp.api.UserAccount;
import java.util.Objects;

/** What a hook says about a login: allow it (possibly with an adjusted account), or deny it with a message. */
public final class LoginDecision {

    private static final LoginDecision ALLOW = new LoginDecision(true, null, null);

    private final boolean allowed;
    private final UserAccount account;
    private final String message;

    private LoginDecision(boolean allowed, UserAccount account, String message) {
        this.allowed = allowed;
        this.account = account;
        this.message = message;
    }

    public static LoginDecision allow() {
        return ALLOW;
    }

    /**
     * Allows the login with another account for the same user (a different home, limits or write access). An
     * account with another user name than the one logging in is not taken: the login is then refused and logged.
     */
    public static LoginDecision allowAs(UserAccount account) {
        return new LoginDecision(true, Objects.requireNonNull(account, "account"), null);
    }

    /** Denies the login: the client gets 530 with this text. */
    public static LoginDecision deny(String message) {
        return new LoginDecision(false, null, Objects.requireNonNull(message, "message"));
    }

    public boolean isAllowed() {
        return allowed;
    }

    /** The adjusted account of {@link #allowAs}, or null to keep the one the hook was given. */
    public UserAccount account() {
        return account;
    }

    /** The text of a denial; null for an allowance. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return allowed ? account == null ? "allow" : "allow as " + account.name() : "deny " + message;
    }
}
