package dev.wharf.ftp.impl.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One user's stored password hash plus a memo of the password that last verified against it, so that a client
 * logging in again and again (a sync tool, a batch of transfers) does not pay a full Argon2id computation each
 * time. The memo is an HMAC-SHA256 of that password under a random key that exists only in this object's memory,
 * and it expires. Only a successful verification is remembered: every wrong password costs a full Argon2id run.
 */
public final class VerifiedPassword {

    private static final long MEMO_NANOS = 15L * 60 * 1_000_000_000L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String storedHash;
    private final java.util.function.BiPredicate<String, char[]> kdf;
    private final SecretKeySpec key;
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
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
    }

    /** Whether the password matches the stored hash. */
    public boolean matches(char[] password) {
        byte[] mac = mac(password);
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

    private byte[] mac(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            return hmac.doFinal(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is a required JDK algorithm", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }
}
