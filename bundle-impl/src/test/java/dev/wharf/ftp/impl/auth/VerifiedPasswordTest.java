package dev.wharf.ftp.impl.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

public class VerifiedPasswordTest {

    @Test
    public void repeatedLoginsSkipTheKdfButWrongPasswordsNeverDo() {
        AtomicInteger kdfRuns = new AtomicInteger();
        VerifiedPassword p = new VerifiedPassword(PasswordHashing.hash("right".toCharArray()), (hash, pw) -> {
            kdfRuns.incrementAndGet();
            return PasswordHashing.verify(hash, pw);
        });
        assertTrue(p.matches("right".toCharArray()));
        assertEquals(1, kdfRuns.get());
        for (int i = 0; i < 10; i++) {
            assertTrue(p.matches("right".toCharArray()));
        }
        assertEquals("a remembered password needs no new Argon2id run", 1, kdfRuns.get());
        assertFalse(p.matches("wrong".toCharArray()));
        assertFalse(p.matches("righ".toCharArray()));
        assertEquals("every wrong password costs a full run", 3, kdfRuns.get());
        assertTrue(p.matches("right".toCharArray()));
        assertEquals(3, kdfRuns.get());
    }
}
