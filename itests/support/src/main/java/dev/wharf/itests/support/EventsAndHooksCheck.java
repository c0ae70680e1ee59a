package dev.wharf.itests.support;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.api.hook.Decision;
import dev.wharf.ftp.api.hook.FileOperation;
import dev.wharf.ftp.api.hook.FtpHook;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.net.ftp.FTPSClient;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * What an integrator does, inside the framework at run time: registers an EventHandler for Wharf's topics and an
 * FtpHook that rejects uploads by content and fails on one file, then drives real FTPS sessions and checks what
 * the handler saw and what the client got; removing the hook restores normal behaviour without a restart. The
 * Felix and the Karaf tests run this same check.
 */
public final class EventsAndHooksCheck {

    private static final byte[] FINE = "a fine file\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TO_REJECT = "REJECT this one\n".getBytes(StandardCharsets.US_ASCII);

    private final BundleContext context;
    private final WharfSupport wharf;
    private final List<Event> events = new CopyOnWriteArrayList<>();

    public EventsAndHooksCheck(BundleContext context, WharfSupport wharf) {
        this.context = context;
        this.wharf = wharf;
    }

    /** A hook as an integrator writes one: a content check on finished uploads, and a broken rule for one name. */
    static final class ContentHook implements FtpHook {
        @Override
        public Decision check(FileOperation op) {
            if (op.kind() == FileOperation.Kind.DELETE && op.path().endsWith("boom.txt")) {
                throw new IllegalStateException("the rule for boom.txt is broken");
            }
            if (op.kind() == FileOperation.Kind.UPLOAD_COMPLETE) {
                try {
                    String content = Files.readString(op.uploadedFile().orElseThrow(), StandardCharsets.ISO_8859_1);
                    if (content.contains("REJECT")) {
                        return Decision.deny("Rejected by the content check.");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Decision.allow();
        }
    }

    /**
     * Runs the check against a listener whose user may write to {@code home}.
     *
     * @param listenerName the listener's name, as events must carry it
     */
    public void run(InetSocketAddress address, String listenerName, String user, String password, Path home)
            throws Exception {
        Dictionary<String, Object> handlerProps = new Hashtable<>();
        handlerProps.put(EventConstants.EVENT_TOPIC, FtpEvents.TOPIC_ALL);
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, events::add,
                handlerProps);
        Dictionary<String, Object> hookProps = new Hashtable<>();
        hookProps.put(Constants.SERVICE_RANKING, 10);
        ServiceRegistration<FtpHook> hook = context.registerService(FtpHook.class, new ContentHook(), hookProps);
        try {
            Files.write(home.resolve("boom.txt"), FINE);
            FTPSClient c = wharf.ftps(address, false);
            WharfSupport.loginProtected(c, user, password);
            assertTrue(c.storeFile("fine.txt", new ByteArrayInputStream(FINE)));
            assertFalse(c.storeFile("bad.txt", new ByteArrayInputStream(TO_REJECT)));
            assertEquals("550 Rejected by the content check.", c.getReplyString().trim());
            assertFalse("a rejected upload leaves no file", Files.exists(home.resolve("bad.txt")));
            assertFalse(c.deleteFile("boom.txt"));
            assertEquals("a throwing hook denies with 451: " + c.getReplyString(), 451, c.getReplyCode());
            assertTrue("the session goes on", c.sendNoOp());
            assertTrue(Files.exists(home.resolve("boom.txt")));
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            assertTrue(c.retrieveFile("fine.txt", back));
            assertArrayEquals(FINE, back.toByteArray());
            assertTrue(c.rename("fine.txt", "renamed.txt"));
            assertTrue(c.makeDirectory("made"));
            assertTrue(c.removeDirectory("made"));
            assertTrue(c.deleteFile("renamed.txt"));
            assertTrue(c.logout());
            c.disconnect();

            FTPSClient wrong = wharf.ftps(address, false);
            assertFalse(wrong.login(user, password + "-wrong"));
            wrong.disconnect();

            hook.unregister();
            hook = null;
            FTPSClient after = wharf.ftps(address, false);
            WharfSupport.loginProtected(after, user, password);
            assertTrue("without the hook the same upload is taken: " + after.getReplyString(),
                    after.storeFile("bad.txt", new ByteArrayInputStream(TO_REJECT)));
            assertTrue(after.deleteFile("boom.txt"));
            after.disconnect();
            assertArrayEquals(TO_REJECT, Files.readAllBytes(home.resolve("bad.txt")));

            checkEvents(listenerName, user, home.toRealPath());
        } finally {
            if (hook != null) {
                hook.unregister();
            }
            handler.unregister();
        }
    }

    private void checkEvents(String listenerName, String user, Path home) throws Exception {
        // The session is found by its login: the listener's readiness probes (awaitListener connects) open and
        // close sessions too, and their events may be delivered after the handler was registered.
        Event login = await(FtpEvents.LOGIN_SUCCEEDED, null);
        String session = (String) login.getProperty(FtpEvents.SESSION_ID);
        assertNotNull(session);
        Event opened = await(FtpEvents.SESSION_OPENED, session);
        assertEquals(listenerName, opened.getProperty(FtpEvents.LISTENER));
        assertEquals("127.0.0.1", opened.getProperty(FtpEvents.REMOTE_ADDRESS));
        assertTrue(opened.getProperty(FtpEvents.REMOTE_PORT) instanceof Integer);
        assertEquals(user, login.getProperty(FtpEvents.USER));
        assertTrue(String.valueOf(login.getProperty(FtpEvents.TLS_PROTOCOL)).startsWith("TLSv1."));

        Event upload = await(FtpEvents.UPLOAD_COMPLETED, session);
        assertEquals("/fine.txt", upload.getProperty(FtpEvents.PATH));
        assertEquals(home.resolve("fine.txt").toString(), upload.getProperty(FtpEvents.REAL_PATH));
        assertEquals((long) FINE.length, upload.getProperty(FtpEvents.BYTES));
        assertEquals(226, upload.getProperty(FtpEvents.REPLY_CODE));
        assertEquals(user, upload.getProperty(FtpEvents.USER));
        assertTrue(String.valueOf(upload.getProperty(FtpEvents.DATA_TLS_PROTOCOL)).startsWith("TLSv1."));
        assertNotNull(upload.getProperty(FtpEvents.DATA_TLS_CIPHER));
        assertTrue(upload.getProperty(FtpEvents.DURATION) instanceof Long);

        Event rejected = await(FtpEvents.UPLOAD_FAILED, session);
        assertEquals("/bad.txt", rejected.getProperty(FtpEvents.PATH));
        assertEquals(550, rejected.getProperty(FtpEvents.REPLY_CODE));
        assertEquals((long) TO_REJECT.length, rejected.getProperty(FtpEvents.BYTES));

        assertEquals(451, await(FtpEvents.DELETE_FAILED, session).getProperty(FtpEvents.REPLY_CODE));
        assertEquals((long) FINE.length, await(FtpEvents.DOWNLOAD_COMPLETED, session).getProperty(FtpEvents.BYTES));
        Event rename = await(FtpEvents.RENAME_COMPLETED, session);
        assertEquals("/fine.txt", rename.getProperty(FtpEvents.PATH));
        assertEquals("/renamed.txt", rename.getProperty(FtpEvents.TARGET_PATH));
        assertEquals("/made", await(FtpEvents.DIRECTORY_CREATED, session).getProperty(FtpEvents.PATH));
        assertEquals("/made", await(FtpEvents.DIRECTORY_REMOVED, session).getProperty(FtpEvents.PATH));
        assertEquals("/renamed.txt", await(FtpEvents.DELETE_COMPLETED, session).getProperty(FtpEvents.PATH));
        await(FtpEvents.SESSION_CLOSED, session);

        Event failed = await(FtpEvents.LOGIN_FAILED, null);
        assertEquals(user, failed.getProperty(FtpEvents.USER));
        assertEquals(FtpEvents.REASON_WRONG_PASSWORD, failed.getProperty(FtpEvents.REASON));
    }

    /** The first event of the topic (of the session, when given), waiting for EventAdmin's delivery. */
    private Event await(String topic, String session) throws InterruptedException {
        long end = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            for (Event e : events) {
                if (e.getTopic().equals(topic)
                        && (session == null || session.equals(e.getProperty(FtpEvents.SESSION_ID)))) {
                    return e;
                }
            }
            Thread.sleep(50);
        }
        StringBuilder seen = new StringBuilder();
        events.forEach(e -> seen.append("\n  ").append(e.getTopic()).append(' ').append(e.getProperty("path")));
        fail("no event " + topic + (session == null ? "" : " of session " + session) + "; seen:" + seen);
        return null;
    }
}
