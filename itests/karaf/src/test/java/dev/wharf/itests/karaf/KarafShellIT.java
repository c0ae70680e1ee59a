package dev.wharf.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.itests.support.WharfSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The wharf: commands in Karaf's own shell, run as a shell session runs them, against real FTPS sessions:
 * wharf:sessions shows a live upload, wharf:kick ends it (421, no partial file), wharf:user-add makes a user that
 * logs in and whose file holds only a hash.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafShellIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    @Inject
    private SessionFactory shell;

    private WharfSupport wharf;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return KarafWithWharf.configuration("exam-shell");
    }

    @Before
    public void setUp() {
        wharf = new WharfSupport(context, cm);
    }

    @After
    public void tearDown() throws Exception {
        wharf.close();
    }

    /** Runs a command line in a new shell session whose input is {@code input}; returns what it printed. */
    private String run(String command, String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (Session session = shell.create(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), print,
                print)) {
            session.execute(command);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println("karaf@root()> " + command + "\n" + printed);
        return printed;
    }

    @Test
    public void sessionsShowsALiveFtpsUploadAndKickEndsItWith421AndNoPartialFile() throws Exception {
        Path home = wharf.dir("home-shell-sara");
        Files.createDirectories(home);
        wharf.user("sara", "sara-secret-3", home);
        wharf.listener("shell");
        InetSocketAddress address = wharf.awaitListener("shell", FtpListener::tlsAvailable);
        assertTrue(run("wharf:listeners", "").contains("shell"));

        FTPSClient c = wharf.ftps(address, false);
        WharfSupport.loginProtected(c, "sara", "sara-secret-3");
        OutputStream upload = c.storeFileStream("big.bin");
        assertNotNull(c.getReplyString(), upload);
        upload.write(new byte[512 * 1024]);
        upload.flush();
        FtpSessionInfo session = awaitUpload(wharf.listenerService("shell"));

        String sessions = run("wharf:sessions --listener shell", "");
        String row = sessions.lines().filter(l -> l.contains(session.id())).findFirst().orElse("");
        assertTrue("a row for " + session.id() + " in\n" + sessions, row.contains("sara"));
        assertTrue(row, row.contains("upload /big.bin"));
        assertTrue(row, row.contains("TLSv1."));

        String kicked = run("wharf:kick " + session.id(), "");
        assertTrue(kicked, kicked.contains("Ended session " + session.id()));
        try {
            for (int i = 0; i < 200; i++) {
                upload.write(new byte[64 * 1024]);
                Thread.sleep(10);
            }
            fail("the upload went on after wharf:kick");
        } catch (java.io.IOException expected) {
            // the data connection was closed under it
        }
        try {
            c.completePendingCommand();
            c.noop();
            fail("no 421 after wharf:kick: " + c.getReplyString());
        } catch (FTPConnectionClosedException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("421"));
        }
        long end = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS;
        List<String> left;
        do {
            try (Stream<Path> files = Files.list(home)) {
                left = files.map(p -> p.getFileName().toString()).toList();
            }
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < end);
        assertEquals("no partial upload left in the home (neither big.bin nor its temporary file)", List.of(), left);
        assertTrue(run("wharf:kick no-such-session", "").contains("No open session"));
    }

    @Test
    public void userAddMakesAUserThatLogsInAndWhoseFileHoldsOnlyAHash() throws Exception {
        Path home = wharf.dir("home-shell-una");
        String added = run("wharf:user-add --write --home " + home + " una", "una-Secret-4\n");
        Path cfg = Path.of(context.getProperty("karaf.etc"), "dev.wharf.ftp.user-una.cfg");
        assertTrue(added, added.contains("User una added"));
        try {
            String text = Files.readString(cfg);
            assertTrue(text, text.contains("password = $argon2id$"));
            assertFalse("the clear-text password in " + cfg, text.contains("una-Secret-4"));

            wharf.listener("shell-users");
            InetSocketAddress address = wharf.awaitListener("shell-users", FtpListener::tlsAvailable);
            FTPSClient c = wharf.ftps(address, false);
            long end = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS;
            while (!c.login("una", "una-Secret-4")) { // FileInstall and SCR take a moment to publish the user
                assertTrue("una cannot log in: " + c.getReplyString(), System.currentTimeMillis() < end);
                c.disconnect();
                Thread.sleep(200);
                c = wharf.ftps(address, false);
            }
            WharfSupport.roundTrip(c, "from-shell.bin", WharfSupport.randomBytes(20_000, 3), home);
            c.logout();

            String users = run("wharf:user-list", "");
            assertTrue(users, users.lines().anyMatch(l -> l.contains("una") && l.contains(home.toString())));
            assertFalse(users, users.contains("argon2id"));
            String again = run("wharf:user-add una", "again\n");
            assertTrue(again, again.contains("exists already"));
            String hash = run("wharf:hash-password", "some-password\n").strip();
            assertTrue(hash, hash.startsWith("$argon2id$v=19$"));
        } finally {
            Files.deleteIfExists(cfg);
        }
    }

    private static FtpSessionInfo awaitUpload(FtpListener listener) throws Exception {
        long end = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            for (FtpSessionInfo s : listener.sessions()) {
                if (s.transfer() != null && s.transfer().bytes() > 0) {
                    return s;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no upload in the session view: " + listener.sessions());
    }
}
