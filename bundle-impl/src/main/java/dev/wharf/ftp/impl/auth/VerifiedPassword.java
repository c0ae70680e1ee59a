package dev.wharf.ftp.impl.auth;

import java.security.MessageDigest;

/**
 * One user's stored password hash plus a memo of the password that last verified against it, so that a client
 * logging in again and again (a sync tool, a batch of transfers) does not pay a full Argon2id computation each
 * time. The memo is an HMAC-SHA256 of that password under a random key that exists only in this object's memory,
 * and it expires. Only a successful verification is remembered: every wrong password costs a full Argon2id run.
 */
public final class VerifiedPassword {

    private static final long MEMO_NANOS = 15L * 60 * 1_000_000_000L;

    private final String storedHash;
    private final java.util.function.BiPredicate<String, char[]> kdf;
    private final PasswordMac macs = new PasswordMac();
    private volatile Memo memo;

    private record Memo(byte[] mac, long expiresAt) {
    }

    public VerifiedPassword(String storedHash) {
        this(storedHash, PasswordHashing::verify);
    }

    /** @param kdf the full verification (Argon2id); replaceable so tests can count its runs */
    VerifiedPassword(String storedHash, java.util.function.BiPredicate<String, char[]> kdf) {
        this.storedHash = storedHash;
        this.kdf = kdf;
    }

    /** Whether the password matches the stored hash. */
    public boolean matches(char[] password) {
        byte[] mac = macs.of(password);
        Memo m = memo;
        if (m != null && System.nanoTime() - m.expiresAt() < 0 && MessageDigest.isEqual(m.mac(), mac)) {
            return true;
        }
        if (!kdf.test(storedHash, password)) {
            return false;
        }
        memo = new Memo(mac, System.nanoTime() + MEMO_NANOS);
        return true;
    }
}
