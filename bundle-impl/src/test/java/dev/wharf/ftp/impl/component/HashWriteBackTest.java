package dev.wharf.ftp.impl.component;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.impl.auth.PasswordHashing;
import dev.wharf.ftp.impl.net.ServerRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The hash replaces the clear text in a user's .cfg file and comes back when the clear text is written over it again,
 * as FileInstall does when it saves a configuration it had before the hash (seen in the launcher under load); a
 * password an operator sets in the meantime is left to the next configuration.
 */
public class HashWriteBackTest {

    private static final String CLEAR = "Clear-Pa55-1";

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    private final ServerRuntime runtime = new ServerRuntime();

    @After
    public void close() {
        runtime.close();
    }

    @Test
    public void theClearTextWrittenBackIsReplacedAgainAndAnotherOneIsLeftAlone() throws Exception {
        Path file = temp.newFile("dev.wharf.ftp.user-ann.cfg").toPath();
        String other = "# Ann\nname = ann\nhome = /srv/ann\n";
        Files.writeString(file, other + "password = " + CLEAR + "\n", StandardCharsets.ISO_8859_1);
        String hash = PasswordHashing.hash(CLEAR.toCharArray());

        HashWriteBack writeBack = HashWriteBack.start(runtime, file, hash, "user 'ann'", 300, 1_000, 1_000);
        await("the hash in the file", () -> hash.equals(password(file)));
        assertEquals(other + "password = " + hash + "\n", Files.readString(file, StandardCharsets.ISO_8859_1));

        Files.writeString(file, other + "password = " + CLEAR + "\n", StandardCharsets.ISO_8859_1); // FileInstall
        await("the hash written again", () -> hash.equals(password(file)));

        Files.writeString(file, other + "password = Another-Secret-2\n", StandardCharsets.ISO_8859_1);
        await("the last check", writeBack::finished);
        assertEquals("an operator's new password is not ours to replace", "Another-Secret-2", password(file));
    }

    @Test
    public void cancelledChecksLeaveTheFileAlone() throws Exception {
        Path file = temp.newFile("dev.wharf.ftp.user-bob.cfg").toPath();
        Files.writeString(file, "name = bob\npassword = " + CLEAR + "\n", StandardCharsets.ISO_8859_1);
        String hash = PasswordHashing.hash(CLEAR.toCharArray());
        HashWriteBack writeBack = HashWriteBack.start(runtime, file, hash, "user 'bob'", 500, 500);
        await("the hash in the file", () -> hash.equals(password(file)));
        writeBack.cancel();
        Files.writeString(file, "name = bob\npassword = " + CLEAR + "\n", StandardCharsets.ISO_8859_1);
        Thread.sleep(1_500);
        assertTrue(writeBack.finished());
        assertEquals(CLEAR, password(file));
    }

    private static String password(Path file) {
        try {
            return CfgFile.value(file, "password");
        } catch (java.io.IOException e) {
            return null; // between two writes
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
