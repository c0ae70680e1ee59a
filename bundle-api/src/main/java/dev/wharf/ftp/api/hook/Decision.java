package dev.wharf.ftp.api.hook;

import java.util.Objects;

/** What a hook says about a file operation: allow it, or deny it with the reply the client gets. */
public final class Decision {

    private static final Decision ALLOW = new Decision(true, 0, null);

    private final boolean allowed;
    private final int replyCode;
    private final String message;

    private Decision(boolean allowed, int replyCode, String message) {
        this.allowed = allowed;
        this.replyCode = replyCode;
        this.message = message;
    }

    public static Decision allow() {
        return ALLOW;
    }

    /** Denies with the operation's usual refusal code (550, or 553 for names) and this text. */
    public static Decision deny(String message) {
        return new Decision(false, 0, Objects.requireNonNull(message, "message"));
    }

    /**
     * Denies with a reply code of your choice: 4xx tells the client to try again later, 5xx that it is refused.
     *
     * @throws IllegalArgumentException when the code is not between 400 and 599
     */
    public static Decision deny(int replyCode, String message) {
        if (replyCode < 400 || replyCode > 599) {
            throw new IllegalArgumentException("a denial's reply code is 4xx or 5xx, not " + replyCode);
        }
        return new Decision(false, replyCode, Objects.requireNonNull(message, "message"));
    }

    public boolean isAllowed() {
        return allowed;
    }

    /** The reply code of a denial; 0 for the operation's usual one (and for an allowance). */
    public int replyCode() {
        return replyCode;
    }

    /** The text of a denial's reply; null for an allowance. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return allowed ? "allow" : "deny " + (replyCode == 0 ? "" : replyCode + " ") + message;
    }
}
