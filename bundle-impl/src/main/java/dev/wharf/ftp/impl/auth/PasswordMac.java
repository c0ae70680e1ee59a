package dev.wharf.ftp.impl.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of passwords under a random key that exists only in this object's memory: what is remembered of a
 * password that verified, so that the same password can be recognised again without keeping it.
 */
final class PasswordMac {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    PasswordMac() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
    }

    byte[] of(char[] password) {
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
