package dev.wharf.ftp.impl.auth;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class PasswordHashingTest {

    @Test
    public void hashesAreSaltedArgon2idAndVerify() {
        String a = PasswordHashing.hash("correct horse".toCharArray());
        String b = PasswordHashing.hash("correct horse".toCharArray());
        assertTrue(a, a.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        assertNotEquals("salted", a, b);
        assertTrue(PasswordHashing.isHash(a));
        assertTrue(PasswordHashing.verify(a, "correct horse".toCharArray()));
        assertFalse(PasswordHashing.verify(a, "correct horsE".toCharArray()));
        assertFalse(PasswordHashing.verify(a, new char[0]));
    }

    @Test
    public void clearTextAndGarbageAreNotHashes() {
        assertFalse(PasswordHashing.isHash("secret"));
        assertFalse(PasswordHashing.isHash("$argon2id$v=19$m=1,t=1,p=1$short$short"));
        assertFalse(PasswordHashing.verify("secret", "secret".toCharArray()));
        assertFalse(PasswordHashing.verify(null, "x".toCharArray()));
    }

    @Test
    public void verifiesHashesMadeWithOtherCosts() {
        // Verification reads the cost from the stored string, so raising the default keeps old hashes valid.
        String cheap = PasswordHashing.hash("password".toCharArray(), 64, 1, 1);
        assertTrue(cheap, cheap.startsWith("$argon2id$v=19$m=64,t=1,p=1$"));
        assertTrue(PasswordHashing.verify(cheap, "password".toCharArray()));
        assertFalse(PasswordHashing.verify(cheap.replace("m=64", "m=128"), "password".toCharArray()));
    }
}
