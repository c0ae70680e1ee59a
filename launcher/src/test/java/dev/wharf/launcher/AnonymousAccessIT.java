package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Anonymous FTP on the launcher: the shipped FTPS listener (TLS required for everything) and a plain one offer it
 * from the same root with an {@code incoming} drop box. Downloads work, uploads go to the drop box only, and what
 * lies in the drop box can be neither listed, downloaded nor replaced; the e-mail style password is logged; the
 * listener that requires TLS refuses the anonymous USER before AUTH TLS. Driven with curl and Commons Net.
 */
public class AnonymousAccessIT {

    private static final byte[] README = "Welcome to the public area.\n".getBytes(StandardCharsets.UTF_8);
    private static LauncherProcess wharf;
    private static int ftpsPort;
    private static int plainPort;
    private static Path root;

    @BeforeClass
    public static void start() throws Exception {
        wharf = LauncherProcess.copyOfDistribution("anonymous");
        root = Files.createDirectories(wharf.home().resolve("ftp/public"));
        Files.createDirectories(root.resolve("pub"));
        Files.write(root.resolve("pub/readme.txt"), README);
        Files.createDirectories(root.resolve("incoming"));
        Files.writeString(root.resolve("incoming/earlier.txt"), "left by someone else");
        ftpsPort = LauncherProcess.freePort();
        plainPort = LauncherProcess.freePort();
        wharf.editConfig(LISTENER, "default", "host", "127.0.0.1", "port", Integer.toString(ftpsPort),
                "anonymous", "true", "anonymous.root", root.toString(), "anonymous.incoming", "/incoming");
        wharf.editConfig(LISTENER, "implicit", "host", "127.0.0.1", "port",
                Integer.toString(LauncherProcess.freePort()));
        wharf.writeConfig(LISTENER, "public", "host", "127.0.0.1", "port", Integer.toString(plainPort),
                "tls.required", "none", "anonymous", "true", "anonymous.root", root.toString(),
                "anonymous.incoming", "incoming");
        wharf.start();
        wharf.awaitFtp(ftpsPort, false, true, "anonymous", "probe@example.org", Duration.ofSeconds(60));
        wharf.awaitLog(Pattern.compile("listener 'public' accepting on"), Duration.ofSeconds(60));
        wharf.awaitStdout(Pattern.compile("listener 'public': .* on 127\\.0\\.0\\.1:" + plainPort
                + ", anonymous read-only access to " + Pattern.quote(root.toString())), Duration.ofSeconds(60));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (wharf != null) {
            wharf.close();
        }
    }

    private static String ftps(String path) {
        return "ftp://127.0.0.1:" + ftpsPort + path;
    }

    @Test
    public void curlDownloadsOverFtpsAndThePasswordIsLogged() throws Exception {
        Path copy = Files.createTempFile(root.getParent(), "readme", ".txt");
        Clients.Result r = Clients.curl("--ssl-reqd", "-k", "-u", "anonymous:curl-visitor@example.org",
                ftps("/pub/readme.txt"), "-o", copy.toString());
        assertTrue(r.toString(), r.ok());
        assertArrayEquals(README, Files.readAllBytes(copy));
        wharf.awaitLog(Pattern.compile("anonymous login from 127\\.0\\.0\\.1, password \\(e-mail\\) "
                + "'curl-visitor@example\\.org'"), Duration.ofSeconds(10));
        Clients.Result listing = Clients.curl("--ssl-reqd", "-k", "-u", "ftp:x@example.org", ftps("/pub/"));
        assertTrue(listing.toString(), listing.ok() && listing.out().contains("readme.txt"));
    }

    @Test
    public void uploadsOutsideTheDropBoxAreRefused() throws Exception {
        Path local = Files.createTempFile(root.getParent(), "upload", ".txt");
        Files.writeString(local, "not wanted here");
        for (String target : new String[] {"/pub/planted.txt", "/planted.txt"}) {
            Clients.Result r = Clients.curl("--ssl-reqd", "-k", "-u", "anonymous:a@example.org", "-T",
                    local.toString(), ftps(target));
            assertFalse(r.toString(), r.ok());
            assertTrue(r.toString(), r.err().contains("< 550"));
            assertFalse(target, Files.exists(root.resolve(target.substring(1))));
        }
        FTPSClient c = login("ftp");
        try {
            assertFalse(c.deleteFile("/pub/readme.txt"));
            assertEquals(550, c.getReplyCode());
            assertFalse(c.makeDirectory("/pub/new"));
            assertEquals(550, c.getReplyCode());
            assertFalse(c.rename("/pub/readme.txt", "/pub/moved.txt"));
            assertArrayEquals(README, Files.readAllBytes(root.resolve("pub/readme.txt")));
        } finally {
            c.disconnect();
        }
    }

    @Test
    public void theDropBoxTakesNewFilesAndShowsNothing() throws Exception {
        FTPSClient c = login("anonymous");
        try {
            byte[] upload = "a report for the maintainers".getBytes(StandardCharsets.UTF_8);
            assertTrue(c.getReplyString(), c.storeFile("/incoming/report.txt", new ByteArrayInputStream(upload)));
            assertArrayEquals(upload, Files.readAllBytes(root.resolve("incoming/report.txt")));

            assertTrue(c.changeWorkingDirectory("/incoming"));
            assertEquals(null, c.listNames());
            assertEquals(c.getReplyString(), 550, c.getReplyCode());
            assertFalse(c.retrieveFile("earlier.txt", new ByteArrayOutputStream()));
            assertEquals(c.getReplyString(), 550, c.getReplyCode());
            assertEquals(c.getReplyString(), 550, c.sendCommand("SIZE", "earlier.txt"));
            assertEquals(c.getReplyString(), 550, c.sendCommand("MDTM", "earlier.txt"));
            // nothing there is replaced, appended to or removed
            assertFalse(c.storeFile("earlier.txt", new ByteArrayInputStream(new byte[] {1})));
            assertEquals(c.getReplyString(), 550, c.getReplyCode());
            assertFalse(c.appendFile("earlier.txt", new ByteArrayInputStream(new byte[] {1})));
            assertFalse(c.deleteFile("earlier.txt"));
            assertEquals("left by someone else", Files.readString(root.resolve("incoming/earlier.txt")));
        } finally {
            c.disconnect();
        }
        // curl into the drop box on the plain listener, as a classic anonymous upload
        Path local = Files.createTempFile(root.getParent(), "drop", ".txt");
        Files.writeString(local, "plain upload");
        Clients.Result r = Clients.curl("-u", "anonymous:plain@example.org", "-T", local.toString(),
                "ftp://127.0.0.1:" + plainPort + "/incoming/plain.txt");
        assertTrue(r.toString(), r.ok());
        assertEquals("plain upload", Files.readString(root.resolve("incoming/plain.txt")));
    }

    @Test
    public void aListenerThatRequiresTlsRefusesAnonymousWithoutIt() throws Exception {
        try (PlainDialogue d = new PlainDialogue(ftpsPort)) {
            assertTrue(d.reply().startsWith("220"));
            String reply = d.send("USER anonymous");
            assertTrue(reply, reply.startsWith("530 "));
            assertTrue(reply, reply.contains("TLS"));
        }
        try (PlainDialogue d = new PlainDialogue(plainPort)) {
            assertTrue(d.reply().startsWith("220"));
            assertTrue(d.send("USER ftp").startsWith("331 "));
            assertTrue(d.send("PASS guest@example.org").startsWith("230 "));
        }
    }

    private static FTPSClient login(String user) throws Exception {
        FTPSClient c = new FTPSClient("TLS", false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", ftpsPort);
        assertTrue(c.getReplyString(), c.login(user, "commons-net@example.org"));
        c.execPBSZ(0);
        c.execPROT("P");
        assertTrue(c.setFileType(FTP.BINARY_FILE_TYPE));
        c.enterLocalPassiveMode();
        return c;
    }
}
