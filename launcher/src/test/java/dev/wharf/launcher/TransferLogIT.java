package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static dev.wharf.launcher.LauncherProcess.USER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The launcher's default transfer log, {@code log/xferlog}, read field by field as xferlog report tools read it:
 * one line per completed, aborted and failed transfer, kept across a logrotate-style move, and complete after a
 * clean stop that follows the last transfer at once. Logins go to the audit logger.
 */
public class TransferLogIT {

    private static final String PASSWORD = "Xferlog-pass-1";
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
            Locale.ROOT);

    private LauncherProcess wharf;
    private int port;
    private Path home;

    @Before
    public void start() throws Exception {
        wharf = LauncherProcess.copyOfDistribution("xferlog");
        wharf.base(wharf.home().resolve("instance"));
        port = LauncherProcess.freePort();
        wharf.editConfig(LISTENER, "default", "host", "127.0.0.1", "port", Integer.toString(port));
        wharf.deleteConfig(LISTENER, "implicit");
        home = Files.createDirectories(wharf.base().resolve("ftp/dora"));
        wharf.writeConfig(USER, "dora", "password", PASSWORD, "home", home.toString(), "write", "true");
        wharf.start();
        wharf.awaitFtp(port, false, true, "dora", PASSWORD, Duration.ofSeconds(60));
    }

    @After
    public void stop() throws Exception {
        if (wharf != null) {
            wharf.close();
        }
    }

    private FTPSClient client() throws IOException {
        FTPSClient c = new FTPSClient("TLS", false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", port);
        assertTrue("login: " + c.getReplyString(), c.login("dora", PASSWORD));
        c.execPBSZ(0);
        c.execPROT("P");
        assertTrue(c.setFileType(FTP.BINARY_FILE_TYPE));
        c.enterLocalPassiveMode();
        return c;
    }

    /** One xferlog line, split into its fourteen fields (the date takes five words). */
    private record Line(String raw, LocalDateTime time, long seconds, String host, long size, String file,
            String type, String action, String direction, String access, String user, String service,
            String method, String authUser, String status) {

        static Line parse(String raw) {
            String[] w = raw.split(" +");
            if (w.length != 18) {
                fail("not 18 words (5 for the date and 13 fields): " + raw);
            }
            LocalDateTime time = LocalDateTime.parse(String.join(" ", w[0], w[1], w[2], w[3], w[4]),
                    DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT));
            return new Line(raw, time, Long.parseLong(w[5]), w[6], Long.parseLong(w[7]), w[8], w[9], w[10], w[11],
                    w[12], w[13], w[14], w[15], w[16], w[17]);
        }
    }

    private Path log() {
        return wharf.base().resolve("log/xferlog");
    }

    /** The log's lines once there are {@code count} (the writer runs behind the transfers by a moment). */
    private List<Line> awaitLines(Path file, int count) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        List<String> lines = List.of();
        while (System.currentTimeMillis() < end) {
            lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            if (lines.size() >= count) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(file + ": " + lines, count, lines.size());
        return lines.stream().map(Line::parse).toList();
    }

    private void checkCommonFields(Line l) {
        assertEquals(l.raw(), "127.0.0.1", l.host());
        assertEquals(l.raw(), "b", l.type());
        assertEquals(l.raw(), "_", l.action());
        assertEquals(l.raw(), "r", l.access());
        assertEquals(l.raw(), "dora", l.user());
        assertEquals(l.raw(), "ftp", l.service());
        assertEquals(l.raw(), "0", l.method());
        assertEquals(l.raw(), "*", l.authUser());
        assertTrue(l.raw(), l.seconds() >= 1);
        assertTrue(l.raw(), Math.abs(Duration.between(l.time(), LocalDateTime.now()).toMinutes()) < 5);
        assertTrue(l.raw(), CTIME.format(l.time()).length() == 24);
    }

    @Test
    public void everyTransferHasOneLineWithEachFieldRight() throws Exception {
        byte[] content = new byte[250_000];
        new java.util.Random(7).nextBytes(content);
        Files.write(home.resolve("big.bin"), new byte[32 * 1024 * 1024]);
        FTPSClient c = client();
        try {
            assertTrue(c.storeFile("my report.bin", new ByteArrayInputStream(content)));
            assertTrue(c.retrieveFile("my report.bin", new ByteArrayOutputStream()));
            assertFalse("a refused RETR moves nothing and has no line", c.retrieveFile("none.bin",
                    new ByteArrayOutputStream()));
        } finally {
            c.disconnect();
        }
        abortedDownload();
        failedUpload();

        List<Line> lines = awaitLines(log(), 4);
        lines.forEach(this::checkCommonFields);
        Line upload = lines.get(0); // the first two in order; the last two end on other sessions' threads
        Line download = lines.get(1);
        Line aborted = lines.stream().filter(l -> l.file().endsWith("/big.bin")).findFirst().orElseThrow();
        Line failed = lines.stream().filter(l -> l.file().endsWith("/reset.bin")).findFirst().orElseThrow();
        assertEquals("i", upload.direction());
        assertEquals(250_000, upload.size());
        assertEquals("spaces become underscores", home.toRealPath().resolve("my_report.bin").toString(), upload.file());
        assertEquals("c", upload.status());
        assertEquals("o", download.direction());
        assertEquals(250_000, download.size());
        assertEquals("c", download.status());
        assertEquals("o", aborted.direction());
        assertEquals(home.toRealPath().resolve("big.bin").toString(), aborted.file());
        assertTrue(aborted.raw(), aborted.size() > 0 && aborted.size() < 32 * 1024 * 1024);
        assertEquals("i", aborted.status());
        assertEquals("i", failed.direction());
        assertEquals(home.toRealPath().resolve("reset.bin").toString(), failed.file());
        assertEquals("i", failed.status());

        wharf.awaitLog(Pattern.compile("login succeeded user='dora' address=127\\.0\\.0\\.1:\\d+ listener=default"),
                Duration.ofSeconds(5));
    }

    /** The client reads a little of a big file and drops the control connection: the server aborts the transfer. */
    private void abortedDownload() throws Exception {
        FTPSClient c = client();
        InputStream in = c.retrieveFileStream("big.bin");
        assertNotNull(c.getReplyString(), in);
        assertTrue(in.read(new byte[65_536]) > 0);
        c.disconnect(); // gone, without QUIT or ABOR
        in.close();
    }

    /**
     * The client resets its data connection in the middle of an upload: the transfer fails with 426. The reset is
     * made on the TCP socket under TLS, so no close_notify goes first: closing the TLS socket would send one, and a
     * server that read everything before the reset arrived would rightly take the upload as complete.
     */
    private void failedUpload() throws Exception {
        FTPSClient c = client();
        try {
            assertEquals(c.getReplyString(), 229, c.epsv());
            Matcher port = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)").matcher(c.getReplyString());
            assertTrue(c.getReplyString(), port.find());
            // closed by the test itself to reset it; try-with-resources only for a failure before that
            try (Socket tcp = new Socket("127.0.0.1", Integer.parseInt(port.group(1)))) {
                assertEquals(c.getReplyString(), 150, c.sendCommand("STOR", "reset.bin"));
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, null);
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, "127.0.0.1", tcp.getPort(),
                        false);
                OutputStream out = tls.getOutputStream();
                out.write(new byte[100_000]);
                out.flush();
                tcp.setSoLinger(true, 0);
                tcp.close(); // TCP reset; the TLS socket is left as it is, without close_notify
            }
            assertEquals(426, c.getReply());
        } finally {
            c.disconnect();
        }
    }

    /**
     * A second log written as {@code dev.wharf.ftp.xferlog~json.cfg}, the form ConfigAdmin shows: FileInstall would
     * read it as a plain configuration that no component takes, so Wharf renames it to the dash form and uses it.
     */
    @Test
    public void aSecondLogInAFileNamedWithATildeIsRenamedAndWritten() throws Exception {
        Path tilde = wharf.etc().resolve("dev.wharf.ftp.xferlog~json.cfg");
        Path dash = wharf.etc().resolve("dev.wharf.ftp.xferlog-json.cfg");
        Path json = wharf.base().resolve("log/transfers.json");
        Files.writeString(wharf.etc().resolve("json.tmp"), "name = json\nfile = log/transfers.json\nformat = json\n",
                StandardCharsets.UTF_8);
        Files.move(wharf.etc().resolve("json.tmp"), tilde);
        long end = System.currentTimeMillis() + 30_000;
        while (!Files.exists(dash) && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        assertTrue(dash + " after " + wharf.stderr(), Files.exists(dash));
        assertFalse(Files.exists(tilde));
        FTPSClient c = client();
        try {
            // the log starts a moment after the rename: send files until one of them is in it
            for (int i = 0; i < 100 && (!Files.exists(json) || Files.size(json) == 0); i++) {
                assertTrue(c.storeFile("j" + i, new ByteArrayInputStream(new byte[] {1})));
                Thread.sleep(100);
            }
        } finally {
            c.disconnect();
        }
        String first = Files.readAllLines(json, StandardCharsets.UTF_8).get(0);
        assertTrue(first, first.startsWith("{") && first.contains("\"dora\""));
    }

    @Test
    public void theLogSurvivesALogrotateMoveAndAStopRightAfterTheLastTransfer() throws Exception {
        FTPSClient c = client();
        try {
            assertTrue(c.storeFile("one.txt", new ByteArrayInputStream("1".getBytes(StandardCharsets.US_ASCII))));
            awaitLines(log(), 1);
            Path rotated = log().resolveSibling("xferlog.1");
            Files.move(log(), rotated); // logrotate's default: move, then the program writes a new file
            assertTrue(c.storeFile("two.txt", new ByteArrayInputStream("22".getBytes(StandardCharsets.US_ASCII))));
            assertEquals(1, awaitLines(rotated, 1).size());
            assertEquals(2, awaitLines(log(), 1).get(0).size());
            for (int i = 0; i < 20; i++) {
                assertTrue(c.storeFile("f" + i, new ByteArrayInputStream(new byte[i])));
            }
        } finally {
            c.disconnect();
        }
        wharf.stop(); // at once: every line taken must be written before the framework ends
        assertEquals(21, awaitLines(log(), 21).size());
    }
}
