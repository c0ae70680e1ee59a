package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.api.hook.Decision;
import dev.wharf.ftp.api.hook.FileOperation;
import dev.wharf.ftp.api.hook.FtpHook;
import dev.wharf.ftp.api.hook.LoginDecision;
import dev.wharf.ftp.impl.activity.Activity;
import dev.wharf.ftp.impl.activity.ActivitySink;
import dev.wharf.ftp.impl.hooks.RegisteredHook;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * Events and hooks over real sessions: every file operation and login is reported once with its properties, and
 * hooks can refuse operations (before they start, and an upload once its bytes are in) without harming the
 * session, the server or the stored files.
 */
public class HooksAndEventsTest {

    @Rule
    public final TestServer server = new TestServer(s -> s.hookTimeoutSeconds(1));

    private final List<Activity> seen = new CopyOnWriteArrayList<>();
    private final ActivitySink recorder = seen::add;

    @Before
    public void record() {
        server.runtime().activities().add(recorder, topic -> true);
    }

    @After
    public void stopRecording() {
        server.runtime().activities().remove(recorder);
    }

    private static RegisteredHook hook(String name, FtpHook hook) {
        return new RegisteredHook(hook, name, Set.of());
    }

    /** The first activity of the topic (waiting up to 5 s: a transfer reports after its last reply). */
    private Activity awaitTopic(String topic) throws InterruptedException {
        long end = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < end) {
            for (Activity a : seen) {
                if (a.topic().equals(topic)) {
                    return a;
                }
            }
            Thread.sleep(20);
        }
        fail("no " + topic + " among " + seen);
        return null;
    }

    private List<Activity> ofTopic(String topic) {
        return seen.stream().filter(a -> a.topic().equals(topic)).toList();
    }

    @Test
    public void everyOperationIsReportedOnceWithItsProperties() throws Exception {
        byte[] data = Clients.randomBytes(300_000);
        FTPSClient c = Clients.tls(server, false, "alice");
        int clientPort;
        try {
            assertTrue(c.storeFile("up.bin", new ByteArrayInputStream(data)));
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            assertTrue(c.retrieveFile("up.bin", back));
            assertArrayEquals(data, back.toByteArray());
            assertTrue(c.rename("up.bin", "moved.bin"));
            assertTrue(c.makeDirectory("dir"));
            assertTrue(c.removeDirectory("dir"));
            assertTrue(c.deleteFile("moved.bin"));
            assertFalse(c.retrieveFile("missing.bin", new ByteArrayOutputStream()));
            assertEquals(550, c.getReplyCode());
            clientPort = c.getLocalPort();
        } finally {
            c.disconnect();
        }

        Activity opened = awaitTopic(FtpEvents.SESSION_OPENED);
        String session = (String) opened.get(FtpEvents.SESSION_ID);
        assertNotNull(session);
        assertEquals("default", opened.get(FtpEvents.LISTENER));
        assertEquals("127.0.0.1", opened.get(FtpEvents.REMOTE_ADDRESS));
        assertEquals(clientPort, opened.get(FtpEvents.REMOTE_PORT));

        Activity login = awaitTopic(FtpEvents.LOGIN_SUCCEEDED);
        assertEquals("alice", login.get(FtpEvents.USER));
        assertEquals("password", login.get(FtpEvents.AUTHENTICATION));
        assertTrue(String.valueOf(login.get(FtpEvents.TLS_PROTOCOL)).startsWith("TLSv1."));
        assertNotNull(login.get(FtpEvents.TLS_CIPHER));

        Activity upload = awaitTopic(FtpEvents.UPLOAD_COMPLETED);
        assertEquals("STOR", upload.get(FtpEvents.COMMAND));
        assertEquals("/up.bin", upload.get(FtpEvents.PATH));
        assertEquals(server.aliceHome().toRealPath().resolve("up.bin").toString(), upload.get(FtpEvents.REAL_PATH));
        assertEquals(300_000L, upload.get(FtpEvents.BYTES));
        assertEquals(226, upload.get(FtpEvents.REPLY_CODE));
        assertEquals("binary", upload.get(FtpEvents.TRANSFER_TYPE));
        assertEquals(0L, upload.get(FtpEvents.OFFSET));
        assertTrue(String.valueOf(upload.get(FtpEvents.DATA_TLS_PROTOCOL)).startsWith("TLSv1."));
        assertNotNull(upload.get(FtpEvents.DATA_TLS_CIPHER));
        assertTrue(upload.number(FtpEvents.DURATION, -1) >= 0);
        assertEquals(FtpEvents.RESULT_COMPLETED, upload.get(FtpEvents.RESULT));

        Activity download = awaitTopic(FtpEvents.DOWNLOAD_COMPLETED);
        assertEquals("RETR", download.get(FtpEvents.COMMAND));
        assertEquals(300_000L, download.get(FtpEvents.BYTES));

        Activity rename = awaitTopic(FtpEvents.RENAME_COMPLETED);
        assertEquals("/up.bin", rename.get(FtpEvents.PATH));
        assertEquals("/moved.bin", rename.get(FtpEvents.TARGET_PATH));
        assertEquals(server.aliceHome().toRealPath().resolve("moved.bin").toString(),
                rename.get(FtpEvents.REAL_TARGET_PATH));
        assertEquals("/dir", awaitTopic(FtpEvents.DIRECTORY_CREATED).get(FtpEvents.PATH));
        assertEquals(257, awaitTopic(FtpEvents.DIRECTORY_CREATED).get(FtpEvents.REPLY_CODE));
        assertEquals("/dir", awaitTopic(FtpEvents.DIRECTORY_REMOVED).get(FtpEvents.PATH));
        assertEquals("/moved.bin", awaitTopic(FtpEvents.DELETE_COMPLETED).get(FtpEvents.PATH));
        Activity missing = awaitTopic(FtpEvents.DOWNLOAD_FAILED);
        assertEquals("/missing.bin", missing.get(FtpEvents.PATH));
        assertEquals(550, missing.get(FtpEvents.REPLY_CODE));
        Activity closed = awaitTopic(FtpEvents.SESSION_CLOSED);

        for (Activity a : seen) {
            assertEquals(a.topic(), session, a.get(FtpEvents.SESSION_ID));
            assertNotNull(a.topic(), a.get(FtpEvents.TIMESTAMP));
        }
        for (String once : List.of(FtpEvents.SESSION_OPENED, FtpEvents.LOGIN_SUCCEEDED, FtpEvents.UPLOAD_COMPLETED,
                FtpEvents.DOWNLOAD_COMPLETED, FtpEvents.RENAME_COMPLETED, FtpEvents.DIRECTORY_CREATED,
                FtpEvents.DIRECTORY_REMOVED, FtpEvents.DELETE_COMPLETED, FtpEvents.DOWNLOAD_FAILED,
                FtpEvents.SESSION_CLOSED)) {
            assertEquals(once + " in " + seen, 1, ofTopic(once).size());
        }
        assertEquals("alice", closed.get(FtpEvents.USER));
    }

    @Test
    public void failedLoginsSayWhy() throws Exception {
        FTPClient c = Clients.plain(server, null);
        try {
            assertFalse(c.login("alice", "wrong"));
            assertFalse(c.login("nobody", "wrong"));
        } finally {
            c.disconnect();
        }
        awaitTopic(FtpEvents.SESSION_CLOSED);
        List<Activity> failed = ofTopic(FtpEvents.LOGIN_FAILED);
        assertEquals(2, failed.size());
        assertEquals("alice", failed.get(0).get(FtpEvents.USER));
        assertEquals(FtpEvents.REASON_WRONG_PASSWORD, failed.get(0).get(FtpEvents.REASON));
        assertEquals("nobody", failed.get(1).get(FtpEvents.USER));
        assertEquals(FtpEvents.REASON_UNKNOWN_USER, failed.get(1).get(FtpEvents.REASON));
    }

    @Test
    public void anAbortedDownloadIsReportedAsAborted() throws Exception {
        server.write("big.bin", new byte[64 * 1024 * 1024]);
        try (RawClient c = RawClient.loggedIn(server.port(), "alice")) {
            int port = c.epsv();
            c.send("RETR big.bin");
            try (java.net.Socket data = new java.net.Socket("127.0.0.1", port)) {
                c.expect("150");
                assertTrue(data.getInputStream().read(new byte[8192]) > 0);
                c.send("ABOR");
                c.expect("426");
                c.expect("226");
            }
            c.send("NOOP");
            c.expect("200");
        }
        Activity aborted = awaitTopic(FtpEvents.DOWNLOAD_ABORTED);
        assertEquals(426, aborted.get(FtpEvents.REPLY_CODE));
        assertTrue(aborted.number(FtpEvents.BYTES, -1) < 64L * 1024 * 1024);
        assertTrue(ofTopic(FtpEvents.DOWNLOAD_COMPLETED).isEmpty());
    }

    @Test
    public void aHookCanRefuseAnUploadBeforeItStarts() throws Exception {
        List<FileOperation> asked = new CopyOnWriteArrayList<>();
        server.hooks.add(hook("no-exe", new FtpHook() {
            @Override
            public Decision check(FileOperation op) {
                asked.add(op);
                return op.path().endsWith(".exe") ? Decision.deny("No programs here.") : Decision.allow();
            }
        }));
        FTPClient c = Clients.plain(server, "alice");
        try {
            assertFalse(c.storeFile("tool.exe", new ByteArrayInputStream(new byte[10])));
            assertEquals("550 No programs here.", c.getReplyString().trim());
            assertTrue(c.storeFile("notes.txt", new ByteArrayInputStream(new byte[10])));
        } finally {
            c.disconnect();
        }
        assertFalse(Files.exists(server.aliceHome().resolve("tool.exe")));
        assertTrue(Files.exists(server.aliceHome().resolve("notes.txt")));
        FileOperation first = asked.get(0);
        assertEquals(FileOperation.Kind.UPLOAD, first.kind());
        assertEquals("STOR", first.command());
        assertEquals("alice", first.user().name());
        assertEquals(server.aliceHome().toRealPath().resolve("tool.exe"), first.realPath());
        Activity failed = awaitTopic(FtpEvents.UPLOAD_FAILED);
        assertEquals("/tool.exe", failed.get(FtpEvents.PATH));
        assertEquals(550, failed.get(FtpEvents.REPLY_CODE));
        assertEquals("No programs here.", failed.get(FtpEvents.REPLY_TEXT));
    }

    /** A content scanner: the finished upload is read before it is put in place, and refused ones never are. */
    @Test
    public void aHookCanRejectACompleteUploadByItsContent() throws Exception {
        byte[] old = "the old version\n".getBytes(StandardCharsets.US_ASCII);
        server.write("report.txt", old);
        server.write("log.txt", old);
        List<Long> sizes = new CopyOnWriteArrayList<>();
        server.hooks.add(hook("scanner", new FtpHook() {
            @Override
            public Decision check(FileOperation op) {
                if (op.kind() != FileOperation.Kind.UPLOAD_COMPLETE) {
                    return Decision.allow();
                }
                try {
                    sizes.add(op.bytes());
                    String content = Files.readString(op.uploadedFile().orElseThrow(), StandardCharsets.ISO_8859_1);
                    return content.contains("VIRUS") ? Decision.deny(553, "Infected: rejected.") : Decision.allow();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }));
        FTPClient c = Clients.plain(server, "alice");
        try {
            assertFalse(c.storeFile("report.txt", new ByteArrayInputStream("a VIRUS inside".getBytes(
                    StandardCharsets.US_ASCII))));
            assertEquals("553 Infected: rejected.", c.getReplyString().trim());
            assertFalse(c.appendFile("log.txt", new ByteArrayInputStream("VIRUS".getBytes(StandardCharsets.US_ASCII))));
            assertEquals(553, c.getReplyCode());
            assertTrue(c.storeFile("clean.txt", new ByteArrayInputStream("clean".getBytes(StandardCharsets.US_ASCII))));
            assertTrue(c.sendNoOp());
        } finally {
            c.disconnect();
        }
        assertArrayEquals("a refused upload leaves the old file", old,
                Files.readAllBytes(server.aliceHome().resolve("report.txt")));
        assertArrayEquals("a refused APPE is cut back to the old length", old,
                Files.readAllBytes(server.aliceHome().resolve("log.txt")));
        assertEquals("clean", Files.readString(server.aliceHome().resolve("clean.txt")));
        try (Stream<Path> files = Files.list(server.aliceHome())) {
            assertEquals("no temporary file is left", Set.of("report.txt", "log.txt", "clean.txt"),
                    Set.copyOf(files.map(p -> p.getFileName().toString()).toList()));
        }
        assertEquals(List.of(14L, 5L, 5L), sizes);
        Activity failed = awaitTopic(FtpEvents.UPLOAD_FAILED);
        assertEquals(553, failed.get(FtpEvents.REPLY_CODE));
        assertEquals(14L, failed.get(FtpEvents.BYTES));
    }

    @Test
    public void aFailingOrSlowHookDeniesOneOperationAndTheSessionGoesOn() throws Exception {
        server.write("a.txt", new byte[1]);
        server.write("b.txt", new byte[1]);
        RegisteredHook throwing = hook("throwing", new FtpHook() {
            @Override
            public Decision check(FileOperation op) {
                if (op.kind() == FileOperation.Kind.DELETE) {
                    throw new IllegalStateException("scanner database missing");
                }
                if (op.kind() == FileOperation.Kind.MAKE_DIRECTORY) {
                    try {
                        Thread.sleep(10_000); // beyond hook.timeout (1 s)
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Decision.allow();
            }
        });
        server.hooks.add(throwing);
        FTPClient c = Clients.plain(server, "alice");
        try {
            assertFalse(c.deleteFile("a.txt"));
            assertEquals(451, c.getReplyCode());
            long start = System.nanoTime();
            assertFalse(c.makeDirectory("slow"));
            assertEquals(451, c.getReplyCode());
            assertTrue("answered at the time limit", System.nanoTime() - start < 5_000_000_000L);
            assertTrue(c.printWorkingDirectory() != null);
            server.hooks.remove(throwing);
            assertTrue("without the hook the next operation works", c.deleteFile("b.txt"));
            assertTrue(c.makeDirectory("fast"));
        } finally {
            c.disconnect();
        }
        assertTrue(Files.exists(server.aliceHome().resolve("a.txt")));
        assertFalse(Files.exists(server.aliceHome().resolve("b.txt")));
        assertFalse(Files.exists(server.aliceHome().resolve("slow")));
        assertEquals(451, awaitTopic(FtpEvents.DELETE_FAILED).get(FtpEvents.REPLY_CODE));
    }

    @Test
    public void aLoginHookCanRefuseOrAdjustTheAccount() throws Exception {
        Path elsewhere = server.newFolder("chosen-home");
        Files.writeString(elsewhere.resolve("welcome.txt"), "hi");
        List<FtpSessionInfo> sessions = new ArrayList<>();
        server.hooks.add(hook("directory", new FtpHook() {
            @Override
            public LoginDecision login(FtpSessionInfo session, UserAccount account) {
                sessions.add(session);
                if (account.name().equals("bob")) {
                    return LoginDecision.deny("Bob is on holiday.");
                }
                return LoginDecision.allowAs(UserAccount.builder(account).home(elsewhere).build());
            }
        }));
        FTPClient bob = Clients.plain(server, null);
        try {
            assertFalse(bob.login("bob", TestServer.PASSWORD));
            assertEquals("530 Bob is on holiday.", bob.getReplyString().trim());
        } finally {
            bob.disconnect();
        }
        FTPClient alice = Clients.plain(server, "alice");
        try {
            assertEquals(List.of("welcome.txt"), List.of(alice.listNames()));
            assertTrue(alice.storeFile("new.txt", new ByteArrayInputStream(new byte[3])));
        } finally {
            alice.disconnect();
        }
        assertTrue(Files.exists(elsewhere.resolve("new.txt")));
        assertEquals("127.0.0.1", sessions.get(0).remoteAddress().getAddress().getHostAddress());
        Activity refused = awaitTopic(FtpEvents.LOGIN_FAILED);
        assertEquals(FtpEvents.REASON_HOOK, refused.get(FtpEvents.REASON));
        assertEquals("bob", refused.get(FtpEvents.USER));
    }

    @Test
    public void aHookLimitedToAnotherListenerIsNotAsked() throws Exception {
        server.hooks.add(new RegisteredHook(new FtpHook() {
            @Override
            public Decision check(FileOperation op) {
                return Decision.deny("not for this listener");
            }
        }, "elsewhere", Set.of("other")));
        FTPClient c = Clients.plain(server, "alice");
        try {
            assertTrue(c.makeDirectory("fine"));
        } finally {
            c.disconnect();
        }
        assertTrue(Files.isDirectory(server.aliceHome().resolve("fine")));
    }
}
