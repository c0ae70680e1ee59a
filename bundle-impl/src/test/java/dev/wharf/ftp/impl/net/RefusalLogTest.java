package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** A connection refused again and again is one log line, then one line saying how many more there were. */
public class RefusalLogTest {

    private static final long INTERVAL = 300;

    private final Logger logger = Logger.getLogger("dev.wharf.test.refusals");
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final List<Runnable> scheduled = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    /** The clock the log reads, moved by the tests instead of waiting. */
    private final AtomicLong now = new AtomicLong();
    private RefusalLog refusals;

    @Before
    public void setUp() {
        logger.setUseParentHandlers(false);
        logger.addHandler(capture);
        refusals = new RefusalLog(logger, (task, delay) -> scheduled.add(task), INTERVAL, now::get);
    }

    @After
    public void tearDown() {
        logger.removeHandler(capture);
    }

    @Test
    public void aFloodFromOneAddressIsOneLineAndASummary() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        for (int i = 0; i < 50; i++) {
            refusals.refused(Level.WARNING, "max.connections.per.ip", a, () -> "refused 192.0.2.1: per ip");
        }
        refusals.refused(Level.WARNING, "max.connections.per.ip", b, () -> "refused 192.0.2.2: per ip");
        refusals.refused(Level.INFO, "allow/deny", a, () -> "refused 192.0.2.1: denied");
        assertEquals(List.of("WARNING refused 192.0.2.1: per ip", "WARNING refused 192.0.2.2: per ip",
                "INFO refused 192.0.2.1: denied"), lines);
        assertEquals("one summary is due, for the one window with refusals counted", 1, scheduled.size());

        now.addAndGet((INTERVAL + 50) * 1_000_000);
        scheduled.forEach(Runnable::run);
        assertEquals(4, lines.size());
        assertEquals("WARNING refused 192.0.2.1: per ip (49 more such refusal(s) in the 1 s after the last line)",
                lines.get(3));

        refusals.refused(Level.WARNING, "max.connections.per.ip", a, () -> "refused 192.0.2.1: per ip");
        assertEquals("a new interval starts with a line again", "WARNING refused 192.0.2.1: per ip", lines.get(4));
    }

    @Test
    public void countsNotYetSummarizedGoWithTheNextLineOrTheStop() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.3");
        refusals.refused(Level.WARNING, "untrusted", a, () -> "untrusted 192.0.2.3");
        refusals.refused(Level.WARNING, "untrusted", a, () -> "untrusted 192.0.2.3");
        now.addAndGet((INTERVAL + 50) * 1_000_000);
        refusals.refused(Level.WARNING, "untrusted", a, () -> "untrusted 192.0.2.3"); // before the summary ran
        assertEquals("untrusted 192.0.2.3 (1 more such refusal(s) before this line)",
                lines.get(1).substring("WARNING ".length()));
        scheduled.forEach(Runnable::run);
        assertEquals("nothing left for the summary", 2, lines.size());

        refusals.refused(Level.WARNING, "untrusted", a, () -> "untrusted 192.0.2.3");
        refusals.refused(Level.WARNING, "untrusted", a, () -> "untrusted 192.0.2.3");
        refusals.close();
        assertTrue(lines.toString(), lines.get(2).endsWith("untrusted 192.0.2.3 (2 more such refusal(s) since the "
                + "last line)"));
    }

    @Test
    public void aLevelThatIsNotLoggedCostsNothing() throws Exception {
        refusals.refused(Level.FINE, "bad PROXY header", InetAddress.getByName("192.0.2.4"), () -> {
            throw new AssertionError("the message is not built");
        });
        assertEquals(List.of(), lines);
        assertEquals(List.of(), scheduled);
    }
}
