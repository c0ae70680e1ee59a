package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.Test;

/** The clear-text protocol over real sockets with Commons Net: login, navigation, transfers, listings, limits. */
public class PlainSessionTest extends SessionTest<FTPClient> {



    @Test
    public void greetsLogsInAndReportsTheVirtualRoot() throws Exception {
        client = Clients.plain(server, null);
        assertEquals(220, client.getReplyCode());
        assertTrue(client.login("alice", TestServer.PASSWORD));
        assertEquals(230, client.getReplyCode());
        assertEquals("/", client.printWorkingDirectory());
        assertEquals(215, client.sendCommand("SYST"));
        assertEquals(200, client.sendCommand("NOOP"));
    }

    @Test
    public void refusesAWrongPasswordAndClosesAfterTooManyFailures() throws Exception {
        client = Clients.plain(server, null);
        assertFalse(client.login("alice", "wrong"));
        assertEquals(530, client.getReplyCode());
        assertFalse(client.login("nobody", "wrong"));
        assertEquals(530, client.getReplyCode());
        assertEquals(331, client.sendCommand("USER", "alice"));
        try {
            client.sendCommand("PASS", "still-wrong");
            org.junit.Assert.fail("the third failure must close the connection");
        } catch (org.apache.commons.net.ftp.FTPConnectionClosedException expected) {
            assertEquals(421, client.getReplyCode());
        }
        // The server closed the connection; another session still works.
        FTPClient other = Clients.plain(server, "alice");
        try {
            assertEquals("/", other.printWorkingDirectory());
        } finally {
            Clients.close(other);
        }
    }

    @Test
    public void refusesCommandsBeforeLoginButAnswersFeatAndSyst() throws Exception {
        client = Clients.plain(server, null);
        assertEquals(530, client.sendCommand("PWD"));
        assertEquals(530, client.sendCommand("LIST"));
        assertEquals(211, client.sendCommand("FEAT"));
        assertEquals(215, client.sendCommand("SYST"));
        assertEquals(214, client.sendCommand("HELP"));
        assertEquals(200, client.sendCommand("OPTS", "UTF8 ON"));
        assertEquals(503, client.sendCommand("PASS", "x"));
    }

    @Test
    public void uploadsAndDownloadsBinaryInPassiveMode() throws Exception {
        client = Clients.plain(server, "alice");
        byte[] content = Clients.randomBytes(3 * 1024 * 1024 + 17);
        assertTrue(client.storeFile("data.bin", new ByteArrayInputStream(content)));
        assertArrayEquals(content, Files.readAllBytes(server.aliceHome().resolve("data.bin")));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile("data.bin", back));
        assertArrayEquals(content, back.toByteArray());
        assertEquals("213 " + content.length, client.sendCommand("SIZE data.bin") + " "
                + client.getReplyString().trim().substring(4));
    }

    @Test
    public void uploadsAndDownloadsInActiveMode() throws Exception {
        client = Clients.plain(server, "alice");
        client.enterLocalActiveMode();
        client.setActiveExternalIPAddress("127.0.0.1");
        byte[] content = Clients.randomBytes(200_000);
        assertTrue(client.storeFile("active.bin", new ByteArrayInputStream(content)));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile("active.bin", back));
        assertArrayEquals(content, back.toByteArray());
        client.setUseEPSVwithIPv4(true);
    }

    @Test
    public void extendedPassiveAndExtendedActiveWork() throws Exception {
        client = Clients.plain(server, "alice");
        client.setUseEPSVwithIPv4(true);
        byte[] content = Clients.randomBytes(10_000);
        assertTrue(client.storeFile("epsv.bin", new ByteArrayInputStream(content)));
        client.enterLocalActiveMode();
        client.setActiveExternalIPAddress("127.0.0.1");
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        // Commons Net sends EPRT when asked to, for IPv4 too
        assertTrue(client.retrieveFile("epsv.bin", back));
        assertArrayEquals(content, back.toByteArray());
        assertEquals(200, client.sendCommand("EPRT", "|1|127.0.0.1|40000|"));
    }

    @Test
    public void convertsLineEndsInAsciiMode() throws Exception {
        server.write("text.txt", "one\ntwo\r\nthree\n".getBytes(StandardCharsets.US_ASCII));
        try (RawClient raw = RawClient.loggedIn(server.port(), "alice")) {
            raw.send("TYPE A");
            raw.expect("200");
            int port = raw.epsv();
            raw.send("RETR text.txt");
            byte[] wire = RawClient.readAll(port);
            raw.expect("150");
            raw.expect("226");
            // LF becomes CRLF on the wire; a CRLF already in the file stays as it is.
            assertEquals("one\r\ntwo\r\nthree\r\n", new String(wire, StandardCharsets.US_ASCII));
            port = raw.epsv();
            raw.send("STOR up.txt");
            try (Socket data = new Socket("127.0.0.1", port)) {
                data.getOutputStream().write("a\r\nb\r\nc\r".getBytes(StandardCharsets.US_ASCII));
            }
            raw.expect("150");
            raw.expect("226");
            assertEquals("a\nb\nc\r", Files.readString(server.aliceHome().resolve("up.txt")));
            raw.send("SIZE up.txt");
            assertEquals("213 8", raw.reply()); // "a\nb\nc\r" sent as "a\r\nb\r\nc\r"
        }
    }

    @Test
    public void managesDirectoriesAndFiles() throws Exception {
        client = Clients.plain(server, "alice");
        assertTrue(client.makeDirectory("docs"));
        assertEquals(257, client.getReplyCode());
        assertTrue(client.changeWorkingDirectory("docs"));
        assertEquals("/docs", client.printWorkingDirectory());
        assertTrue(client.storeFile("a.txt", new ByteArrayInputStream("A".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(client.changeToParentDirectory());
        assertEquals("/", client.printWorkingDirectory());
        assertFalse(client.removeDirectory("docs"));
        assertEquals(550, client.getReplyCode());
        assertTrue(client.deleteFile("docs/a.txt"));
        assertFalse(client.deleteFile("docs/a.txt"));
        assertEquals(550, client.getReplyCode());
        assertTrue(client.removeDirectory("docs"));
        assertFalse(Files.exists(server.aliceHome().resolve("docs")));
        assertFalse(client.changeWorkingDirectory("missing"));
        assertEquals(550, client.getReplyCode());
    }

    @Test
    public void listsDirectoriesInLongAndNameFormats() throws Exception {
        server.write("one.txt", new byte[] {1, 2, 3});
        server.write("sub dir/two.txt", new byte[10]);
        server.write("-dash.txt", new byte[5]);
        server.write("ünïcødé.txt", new byte[7]);
        client = Clients.plain(server, "alice");
        client.setControlEncoding("UTF-8");
        FTPFile[] files = client.listFiles();
        assertEquals(4, files.length);
        FTPFile one = Arrays.stream(files).filter(f -> f.getName().equals("one.txt")).findFirst().orElseThrow();
        assertEquals(3, one.getSize());
        assertTrue(one.isFile());
        assertTrue(Arrays.stream(files).anyMatch(f -> f.getName().equals("sub dir") && f.isDirectory()));
        assertTrue(Arrays.stream(files).anyMatch(f -> f.getName().equals("ünïcødé.txt") && f.getSize() == 7));
        List<String> names = Arrays.asList(client.listNames());
        assertTrue(names.containsAll(List.of("one.txt", "sub dir", "-dash.txt", "ünïcødé.txt")));
        assertEquals(List.of("sub dir/two.txt"), Arrays.asList(client.listNames("sub dir")));
        FTPFile[] dash = client.listFiles("-dash.txt");
        assertEquals(1, dash.length);
        assertEquals(5, dash[0].getSize());
        assertEquals(4, client.listFiles("-la").length);
    }

    @Test
    public void neverLeavesTheHomeDirectory() throws Exception {
        Path outside = server.newFolder("outside");
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(server.aliceHome().resolve("escape"), outside);
        Files.createSymbolicLink(server.aliceHome().resolve("escape.txt"), outside.resolve("secret.txt"));
        client = Clients.plain(server, "alice");
        assertTrue(client.changeWorkingDirectory("../../.."));
        assertEquals("/", client.printWorkingDirectory());
        assertFalse(client.retrieveFile("../outside/secret.txt", new ByteArrayOutputStream()));
        assertEquals(550, client.getReplyCode());
        assertFalse(client.retrieveFile("/../../outside/secret.txt", new ByteArrayOutputStream()));
        assertFalse(client.changeWorkingDirectory("escape"));
        assertEquals(550, client.getReplyCode());
        assertFalse(client.retrieveFile("escape.txt", new ByteArrayOutputStream()));
        assertEquals(550, client.getReplyCode());
        assertFalse(client.storeFile("escape/new.txt", new ByteArrayInputStream(new byte[1])));
        assertFalse(Files.exists(outside.resolve("new.txt")));
        // the link is the user's own entry: deleting it removes the link, never what it points to
        assertTrue(client.deleteFile("escape.txt/../escape.txt"));
        assertFalse(Files.exists(server.aliceHome().resolve("escape.txt"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(outside.resolve("secret.txt")));
    }

    @Test
    public void readOnlyUsersCannotChangeAnything() throws Exception {
        Files.writeString(server.bobHome().resolve("keep.txt"), "keep");
        client = Clients.plain(server, "bob");
        assertFalse(client.storeFile("new.txt", new ByteArrayInputStream(new byte[1])));
        assertEquals(550, client.getReplyCode());
        assertFalse(client.deleteFile("keep.txt"));
        assertFalse(client.makeDirectory("d"));
        assertFalse(client.rename("keep.txt", "moved.txt"));
        assertTrue(Files.exists(server.bobHome().resolve("keep.txt")));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile("keep.txt", back));
        assertEquals("keep", back.toString(StandardCharsets.US_ASCII));
    }

    @Test
    public void answersBadInputAndKeepsTheSession() throws Exception {
        client = Clients.plain(server, "alice");
        assertEquals(502, client.sendCommand("XYZZY"));
        assertEquals(501, client.sendCommand("PORT", "1,2,3"));
        assertEquals(501, client.sendCommand("TYPE", "Q"));
        assertEquals(504, client.sendCommand("MODE", "B"));
        assertEquals(501, client.sendCommand("REST", "abc"));
        assertEquals(503, client.sendCommand("RNTO", "x"));
        assertEquals(550, client.sendCommand("RETR", "missing"));
        server.write("x", new byte[1]);
        assertEquals(425, client.sendCommand("RETR", "x"));
        assertEquals(200, client.sendCommand("NOOP"));
    }

    @Test
    public void answersAnOverlongLineAndGoesOn() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            assertTrue(readReply(in).startsWith("220"));
            byte[] huge = new byte[100_000];
            Arrays.fill(huge, (byte) 'A');
            out.write(huge);
            out.write("\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {(byte) 0xC3, (byte) 0x28, '\r', '\n'}); // not UTF-8
            out.flush();
            assertTrue(readReply(in).startsWith("500"));
            assertTrue(readReply(in).startsWith("200"));
            assertTrue(readReply(in).startsWith("502"));
        }
    }

    @Test
    public void refusesPortToAnotherHostAndPassiveConnectionsFromOne() throws Exception {
        client = Clients.plain(server, "alice");
        assertEquals(500, client.sendCommand("PORT", "10,1,2,3,200,10"));
        assertEquals(500, client.sendCommand("EPRT", "|1|10.1.2.3|40000|"));
        assertEquals(500, client.sendCommand("PORT", "127,0,0,1,0,21")); // privileged port
        server.write("f.bin", new byte[1000]);
        try (RawClient raw = RawClient.loggedIn(server.port(), "alice")) {
            int port = raw.epsv();
            // A connection from another address (127.0.0.2) is dropped; the real client is still served.
            try (Socket thief = new Socket()) {
                thief.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
                thief.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
                thief.setSoTimeout(5000);
                raw.send("RETR f.bin");
                assertEquals(-1, thief.getInputStream().read());
            }
            assertEquals(1000, RawClient.readAll(port).length);
            raw.expect("150");
            raw.expect("226");
        }
    }

    @Test
    public void renamesAndReportsModificationTimes() throws Exception {
        server.write("old.txt", "x".getBytes(StandardCharsets.US_ASCII));
        client = Clients.plain(server, "alice");
        assertTrue(client.rename("old.txt", "new.txt"));
        assertTrue(Files.exists(server.aliceHome().resolve("new.txt")));
        assertFalse(client.rename("missing.txt", "x.txt"));
        assertEquals(550, client.getReplyCode());
        assertEquals(213, client.sendCommand("MDTM", "new.txt"));
        assertTrue(client.getReplyString().trim().matches("213 \\d{14}"));
    }

    private static String readReply(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8).trim();
    }
}
