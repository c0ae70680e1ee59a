package dev.wharf.ftp.impl.component;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** One value of a .cfg file replaced; the other lines, the comments and the file's permissions stay. */
public class CfgFileTest {

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void replacesTheValueAndKeepsTheRest() throws Exception {
        Path file = temp.newFile("dev.wharf.ftp.user-ann.cfg").toPath();
        Files.writeString(file, "# Ann's account\nname = ann\npassword : clear \\\n  continued\nhome=/srv/ann\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        CfgFile.replaceValue(file, "password", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
        assertEquals("# Ann's account\nname = ann\npassword = $argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA\n"
                + "home=/srv/ann\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        CfgFile.replaceValue(file, "write", "true");
        assertEquals("a key the file lacks is added", "write = true",
                Files.readAllLines(file).get(Files.readAllLines(file).size() - 1));
        assertEquals(file, CfgFile.of(Map.of("felix.fileinstall.filename", file.toUri().toString())));
        assertEquals(null, CfgFile.of(Map.of("service.pid", "x")));
        assertEquals("a typed .config file is left to ConfigAdmin", null,
                CfgFile.of(Map.of("felix.fileinstall.filename", file.toUri().toString().replace(".cfg", ".config"))));
    }

    @Test
    public void aLinkedFileIsReplacedBehindTheLink() throws Exception {
        Path kept = temp.newFolder("kept").toPath().resolve("bob.cfg");
        Files.writeString(kept, "name = bob\npassword = clear\n");
        Path link = Files.createSymbolicLink(temp.getRoot().toPath().resolve("dev.wharf.ftp.user-bob.cfg"), kept);
        CfgFile.replaceValue(link, "password", "hashed");
        assertTrue("still a link", Files.isSymbolicLink(link));
        assertEquals("name = bob\npassword = hashed\n", Files.readString(kept));
        try (var left = Files.list(kept.getParent())) {
            assertEquals("no temporary file left behind", 1, left.count());
        }
    }
}
