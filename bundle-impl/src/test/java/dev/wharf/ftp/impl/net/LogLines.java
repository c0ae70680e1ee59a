package dev.wharf.ftp.impl.net;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.rules.ExternalResource;

/**
 * What Wharf logs at INFO and above while a test runs, to check what operators would read (the tests' logging
 * configuration quiets the net package to WARNING; here it says INFO again).
 */
final class LogLines extends ExternalResource {

    private final Logger logger = Logger.getLogger("dev.wharf.ftp");
    private final Logger net = Logger.getLogger("dev.wharf.ftp.impl.net");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Level before;
    private Level netBefore;
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getLevel() + " " + (r.getMessage() == null ? "" : r.getMessage()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    protected void before() {
        before = logger.getLevel();
        netBefore = net.getLevel();
        logger.setLevel(Level.INFO);
        net.setLevel(Level.INFO);
        logger.addHandler(capture);
    }

    @Override
    protected void after() {
        logger.removeHandler(capture);
        logger.setLevel(before);
        net.setLevel(netBefore);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits up to five seconds for a line containing every one of the parts; returns it. */
    String await(String... parts) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            for (String line : lines) {
                boolean all = true;
                for (String p : parts) {
                    all &= line.contains(p);
                }
                if (all) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line with " + List.of(parts) + " in " + lines);
            }
            Thread.sleep(20);
        }
    }
}
