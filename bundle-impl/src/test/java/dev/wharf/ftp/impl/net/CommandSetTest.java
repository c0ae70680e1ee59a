package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.Test;

/** The RFC 959 / 3659 / extension commands beyond the basics, each checked for its reply and its effect on disk. */
public class CommandSetTest extends SessionTest<FTPClient> {

    /** Every extension, once; RFC 2389 sets no order, Wharf sends them sorted. */
    @Test
    public void featListsExactlyTheExtensions() throws Exception {
        client = Clients.plain(server, null);
        assertEquals(211, client.sendCommand("FEAT"));
        String[] lines = client.getReplyStrings();
        String[] features = Arrays.copyOfRange(lines, 1, lines.length - 1);
        for (int i = 0; i < features.length; i++) {
            features[i] = features[i].trim();
        }
        assertEquals(Arrays.asList("AUTH SSL", "AUTH TLS", "EPRT", "EPSV", "HASH SHA-256*;SHA-1;MD5;CRC32", "HOST",
                "LANG EN*", "MDTM", "MFMT", "MLST type*;size*;modify*;perm*;unique*;", "PASV", "PBSZ", "PROT",
                "REST STREAM", "SIZE", "TVFS", "UTF8"), Arrays.asList(features));
    }

    @Test
    public void machineListingsGiveExactFacts() throws Exception {
        Path f = server.write("dir/file.bin", Clients.randomBytes(1234));
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
        client = Clients.plain(server, "alice");
        FTPFile[] entries = client.mlistDir("dir");
        assertEquals(1, entries.length);
        assertEquals("file.bin", entries[0].getName());
        assertEquals(1234, entries[0].getSize());
        assertEquals(Instant.parse("2020-01-02T03:04:05Z"), entries[0].getTimestamp().toInstant());
        assertTrue(entries[0].getRawListing(), entries[0].getRawListing().contains("perm=awrdf;"));
        FTPFile dir = client.mlistFile("dir");
        assertNotNull(dir);
        assertTrue(dir.isDirectory());
        assertEquals(501, client.sendCommand("MLSD", "dir/file.bin"));
        assertEquals(200, client.sendCommand("OPTS", "MLST size;type;"));
        assertEquals(250, client.sendCommand("MLST", "dir/file.bin"));
        String entry = client.getReplyStrings()[1];
        assertEquals(" type=file;size=1234; /dir/file.bin", entry);
    }

    @Test
    public void readOnlyUsersSeeReadOnlyPermissions() throws Exception {
        Files.write(server.bobHome().resolve("r.txt"), new byte[3]);
        client = Clients.plain(server, "bob");
        assertEquals(250, client.sendCommand("MLST", "r.txt"));
        assertTrue(client.getReplyString(), client.getReplyString().contains("perm=r;"));
        assertEquals(550, client.sendCommand("MFMT", "20200101000000 r.txt"));
        assertEquals(550, client.sendCommand("SITE", "CHMOD 600 r.txt"));
        assertEquals(550, client.sendCommand("AVBL"));
        assertEquals(550, client.sendCommand("STOU"));
    }

    @Test
    public void setsModificationTimesAndPermissions() throws Exception {
        Path f = server.write("m.txt", new byte[1]);
        client = Clients.plain(server, "alice");
        assertTrue(client.setModificationTime("m.txt", "20211231235959"));
        assertEquals(Instant.parse("2021-12-31T23:59:59Z"), Files.getLastModifiedTime(f).toInstant());
        assertEquals(501, client.sendCommand("MFMT", "2021 m.txt"));
        assertEquals(200, client.sendCommand("SITE", "CHMOD 640 m.txt"));
        assertEquals(PosixFilePermissions.fromString("rw-r-----"), Files.getPosixFilePermissions(f));
        assertEquals(501, client.sendCommand("SITE", "CHMOD 999 m.txt"));
        assertEquals(214, client.sendCommand("SITE", "HELP"));
        assertEquals(504, client.sendCommand("SITE", "EXEC rm -rf /"));
        assertEquals(502, client.sendCommand("SMNT", "/mnt"));
        assertEquals(213, client.sendCommand("AVBL"));
        assertTrue(Long.parseLong(client.getReplyString().substring(4).trim()) > 0);
    }

    @Test
    public void hashesFilesWholeAndByRange() throws Exception {
        byte[] content = Clients.randomBytes(100_000);
        server.write("h.bin", content);
        client = Clients.plain(server, "alice");
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        assertEquals(213, client.sendCommand("HASH", "h.bin"));
        assertEquals("213 SHA-256 0-99999 " + sha256 + " h.bin", client.getReplyString().trim());
        assertEquals(200, client.sendCommand("OPTS", "HASH MD5"));
        assertEquals(350, client.sendCommand("RANG", "10 19"));
        assertEquals(213, client.sendCommand("HASH", "h.bin"));
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Arrays.copyOfRange(content, 10,
                20)));
        assertEquals("213 MD5 10-19 " + md5 + " h.bin", client.getReplyString().trim());
        assertEquals(501, client.sendCommand("OPTS", "HASH SHA-3"));
        CRC32 crc = new CRC32();
        crc.update(content);
        assertEquals(250, client.sendCommand("XCRC", "h.bin"));
        assertEquals(String.format("%08x", crc.getValue()), client.getReplyString().substring(4).trim());
        assertEquals(250, client.sendCommand("XSHA256", "\"h.bin\""));
        assertEquals(sha256, client.getReplyString().substring(4).trim());
        assertEquals(250, client.sendCommand("XMD5", "h.bin 0 10"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Arrays.copyOf(content, 10))),
                client.getReplyString().substring(4).trim());
        assertEquals(550, client.sendCommand("XSHA1", "missing"));
    }

    @Test
    public void resumesDownloadsAndUploadsWithRest() throws Exception {
        byte[] content = Clients.randomBytes(500_000);
        server.write("r.bin", content);
        client = Clients.plain(server, "alice");
        client.setRestartOffset(123_456);
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile("r.bin", tail));
        assertArrayEquals(Arrays.copyOfRange(content, 123_456, content.length), tail.toByteArray());
        // Resume an upload: the first part is there, the rest follows at the offset.
        Files.write(server.aliceHome().resolve("u.bin"), Arrays.copyOf(content, 200_000));
        client.setRestartOffset(200_000);
        assertTrue(client.storeFile("u.bin", new ByteArrayInputStream(Arrays.copyOfRange(content, 200_000,
                content.length))));
        assertArrayEquals(content, Files.readAllBytes(server.aliceHome().resolve("u.bin")));
        assertTrue(client.appendFile("u.bin", new ByteArrayInputStream(new byte[] {1, 2, 3})));
        assertEquals(content.length + 3, Files.size(server.aliceHome().resolve("u.bin")));
        client.setFileType(FTPClient.ASCII_FILE_TYPE);
        assertEquals(350, client.sendCommand("REST", "10"));
        client.enterLocalPassiveMode();
        assertEquals(229 / 229 * 229, client.sendCommand("EPSV"));
        assertEquals(350, client.sendCommand("REST", "10"));
        assertEquals(504, client.sendCommand("RETR", "r.bin"));
    }

    @Test
    public void storesUnderUniqueNames() throws Exception {
        server.write("up", new byte[1]);
        client = Clients.plain(server, "alice");
        assertTrue(client.storeUniqueFile("up", new ByteArrayInputStream(new byte[] {7, 7})));
        assertArrayEquals(new byte[] {7, 7}, Files.readAllBytes(server.aliceHome().resolve("up.1")));
        assertArrayEquals(new byte[1], Files.readAllBytes(server.aliceHome().resolve("up")));
    }

    @Test
    public void failedUploadsLeaveTheOldFileAndNoPartialOne() throws Exception {
        server.write("keep.bin", "old".getBytes(StandardCharsets.US_ASCII));
        try (RawClient raw = RawClient.loggedIn(server.port(), "alice")) {
            raw.send("TYPE I");
            raw.expect("200");
            int port = raw.epsv();
            raw.send("STOR keep.bin");
            try (Socket data = new Socket("127.0.0.1", port)) {
                raw.expect("150");
                data.getOutputStream().write(new byte[100_000]);
                raw.send("ABOR");
                raw.expect("426");
                raw.expect("226");
            }
            raw.send("NOOP");
            raw.expect("200");
        }
        assertEquals("old", Files.readString(server.aliceHome().resolve("keep.bin")));
        try (var names = Files.list(server.aliceHome())) {
            assertEquals(1, names.count());
        }
    }

    @Test
    public void abortInterruptsARunningDownloadAndTheSessionGoesOn() throws Exception {
        server.write("big.bin", Clients.randomBytes(64 * 1024 * 1024));
        try (RawClient raw = RawClient.loggedIn(server.port(), "alice")) {
            raw.send("TYPE I");
            raw.expect("200");
            int port = raw.epsv();
            raw.send("RETR big.bin");
            try (Socket data = new Socket("127.0.0.1", port)) {
                data.setReceiveBufferSize(4096);
                raw.expect("150");
                InputStream in = data.getInputStream();
                assertTrue(in.read(new byte[1000]) > 0); // the transfer is running and stalls on our window
                raw.send("STAT");
                raw.expect("211");
                raw.send("NOOP");
                raw.expect("200");
                raw.send("ABOR");
                raw.expect("426");
                raw.expect("226");
            }
            raw.send("PWD");
            raw.expect("257");
        }
    }

    @Test
    public void statListsOverTheControlConnection() throws Exception {
        server.write("s/a.txt", new byte[5]);
        client = Clients.plain(server, "alice");
        assertEquals(212, client.sendCommand("STAT", "s"));
        assertTrue(client.getReplyString(), client.getReplyString().contains(" a.txt"));
        assertEquals(213, client.sendCommand("STAT", "s/a.txt"));
        assertEquals(211, client.sendCommand("STAT"));
        assertEquals(550, client.sendCommand("STAT", "nothing"));
    }

    @Test
    public void answersSessionAndInformationCommands() throws Exception {
        client = Clients.plain(server, null);
        assertEquals(220, client.sendCommand("HOST", "ftp.example.com"));
        assertEquals(200, client.sendCommand("CLNT", "Test client 1.0"));
        assertEquals(200, client.sendCommand("LANG", "EN"));
        assertEquals(504, client.sendCommand("LANG", "FR"));
        assertEquals(214, client.sendCommand("HELP", "RETR"));
        assertEquals("214 Syntax: RETR <path>", client.getReplyString().trim());
        assertEquals(502, client.sendCommand("HELP", "FOO"));
        assertTrue(client.login("alice", TestServer.PASSWORD));
        assertEquals(211, client.sendCommand("STAT"));
        assertTrue(client.getReplyString(), client.getReplyString().contains("(Test client 1.0)"));
        assertEquals(503, client.sendCommand("HOST", "other.example.com"));
        assertEquals(202, client.sendCommand("ACCT", "x"));
        assertEquals(202, client.sendCommand("ALLO", "1000"));
        assertEquals(200, client.sendCommand("STRU", "F"));
        assertEquals(504, client.sendCommand("STRU", "R"));
        assertEquals(200, client.sendCommand("MODE", "S"));
        assertEquals(257, client.sendCommand("XMKD", "x"));
        assertEquals(250, client.sendCommand("XCWD", "x"));
        assertEquals(257, client.sendCommand("XPWD"));
        assertEquals(250, client.sendCommand("XCUP"));
        assertEquals(250, client.sendCommand("XRMD", "x"));
        assertEquals(220, client.sendCommand("REIN"));
        assertEquals(530, client.sendCommand("PWD"));
        assertTrue(client.login("bob", TestServer.PASSWORD));
        assertEquals(221, client.sendCommand("QUIT"));
    }

    @Test
    public void replyCodesForMissingAndForbiddenNames() throws Exception {
        client = Clients.plain(server, "alice");
        assertEquals(550, client.sendCommand("DELE", "missing"));
        assertEquals(550, client.sendCommand("RNFR", "missing"));
        assertEquals(550, client.sendCommand("SIZE", "missing"));
        assertEquals(550, client.sendCommand("MDTM", "missing"));
        assertEquals(553, client.sendCommand("MKD", "bad\u0000name"));
        assertEquals(501, client.sendCommand("DELE"));
        assertEquals(501, client.sendCommand("MKD"));
        assertEquals(550, client.sendCommand("RMD", "/"));
        assertFalse(client.storeFile("nodir/f.txt", new ByteArrayInputStream(new byte[1])));
        assertEquals(553, client.getReplyCode());
    }

    @Test
    public void listsAHundredThousandEntriesWithoutBuildingThemUp() throws Exception {
        Path big = server.aliceHome().resolve("big");
        Files.createDirectories(big);
        for (int i = 0; i < 100_000; i++) {
            Files.createFile(big.resolve("f" + i));
        }
        client = Clients.plain(server, "alice");
        assertEquals(100_000, client.listNames("big").length);
        assertEquals(100_000, client.mlistDir("big").length);
        assertEquals(100_000, client.listFiles("big").length);
    }

    @Test
    public void everyCommandHasHelp() throws Exception {
        client = Clients.plain(server, null);
        assertEquals(214, client.sendCommand("HELP"));
        String all = String.join(" ", client.getReplyStrings());
        for (String verb : all.replaceAll("^214-[^\\n]*?:", "").split("\\s+")) {
            if (verb.matches("[A-Z0-9]{3,7}") && !verb.equals("214")) {
                assertEquals(verb, 214, client.sendCommand("HELP", verb));
                assertTrue(verb + ": " + client.getReplyString(), client.getReplyString().contains("Syntax: " + verb));
            }
        }
    }

    @Test
    public void longListingsUseTheYearForOldFiles() throws Exception {
        Path old = server.write("old.txt", new byte[3]);
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(Instant.parse("2019-03-04T05:06:07Z")));
        Path recent = server.write("new.txt", new byte[3]);
        Files.setLastModifiedTime(recent, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3600)));
        client = Clients.plain(server, "alice");
        assertEquals(213, client.sendCommand("STAT", "old.txt"));
        assertTrue(client.getReplyString(),
                client.getReplyString().matches("(?s).*-rw-[-r][-w]-[-r][-w]- 1 \\S+ \\S+ +3 Mar 04  2019 old.txt.*"));
        assertEquals(213, client.sendCommand("STAT", "new.txt"));
        assertTrue(client.getReplyString(),
                client.getReplyString().matches("(?s).* +3 [A-Z][a-z]{2} \\d\\d \\d\\d:\\d\\d new.txt.*"));
    }
}
