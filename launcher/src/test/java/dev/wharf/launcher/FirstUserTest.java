package dev.wharf.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.impl.auth.PasswordHashing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FirstUserTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void createsUserWithHashOnlyAndShowsPasswordOnce() throws Exception {
        Path home = tmp.getRoot().toPath();
        Path etc = home.resolve("etc");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertTrue(FirstUser.ensure(etc, home, new PrintStream(out, true, StandardCharsets.UTF_8)));

        Matcher shown = Pattern.compile("password ([A-Za-z0-9]{20}) ").matcher(out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8), shown.find());
        String password = shown.group(1);
        String cfg = Files.readString(etc.resolve("dev.wharf.ftp.user-wharf.cfg"));
        assertFalse("clear password on disk", cfg.contains(password));

        Properties p = new Properties();
        p.load(new StringReader(cfg));
        assertEquals("wharf", p.getProperty("name"));
        assertEquals("true", p.getProperty("write"));
        assertEquals(home.resolve("home/wharf").toString(), p.getProperty("home"));
        assertTrue(PasswordHashing.isHash(p.getProperty("password")));
        assertTrue(PasswordHashing.verify(p.getProperty("password"), password.toCharArray()));
    }

    @Test
    public void leavesExistingUsersAlone() throws Exception {
        Path home = tmp.getRoot().toPath();
        Path etc = Files.createDirectories(home.resolve("etc"));
        Files.writeString(etc.resolve("dev.wharf.ftp.user-alice.cfg"), "name = alice\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertFalse(FirstUser.ensure(etc, home, new PrintStream(out)));
        assertEquals(0, out.size());
        assertFalse(Files.exists(etc.resolve("dev.wharf.ftp.user-wharf.cfg")));
    }
}
