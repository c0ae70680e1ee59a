package dev.wharf.ftp.impl.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Log lines for refused connections: the first refusal of a kind from an address is logged at once, the ones that
 * follow within the interval are counted, and one line at its end says how many there were. A client reconnecting
 * in a loop, or a scanner knocking on a PROXY-protocol port, must not fill the log with a line per connection.
 * Refusals are rare next to the work of a session, so one lock is enough.
 */
final class RefusalLog {

    /** Runs a task once after a delay (the server's timer). */
    interface Timer {
        void schedule(Runnable task, long delayMillis);
    }

    /** Addresses tracked at once; beyond them, refusals of one kind share one count whatever their address. */
    private static final int MAX_TRACKED = 1024;

    private final Logger log;
    private final Timer timer;
    private final long intervalMillis;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new HashMap<>();

    private static final class Window {
        final long endsNanos;
        final Level level;
        Supplier<String> lastMessage;
        int suppressed;

        Window(long endsNanos, Level level) {
            this.endsNanos = endsNanos;
            this.level = level;
        }
    }

    RefusalLog(Logger log, Timer timer, long intervalMillis) {
        this(log, timer, intervalMillis, System::nanoTime);
    }

    /** @param nanoClock {@link System#nanoTime}, or a clock a test moves */
    RefusalLog(Logger log, Timer timer, long intervalMillis, LongSupplier nanoClock) {
        this.log = log;
        this.timer = timer;
        this.intervalMillis = intervalMillis;
        this.nanoClock = nanoClock;
    }

    /**
     * Logs a refusal, or counts it when one of the same kind from the same address was logged less than an
     * interval ago.
     *
     * @param kind what was refused, e.g. "allow/deny": refusals of different kinds are logged apart
     */
    void refused(Level level, String kind, InetAddress from, Supplier<String> message) {
        if (!log.isLoggable(level)) {
            return;
        }
        long now = nanoClock.getAsLong();
        boolean logNow;
        boolean scheduleSummary = false;
        int countedBefore = 0;
        synchronized (this) {
            String key = kind + " " + from.getHostAddress();
            Window w = windows.get(key);
            if (w == null && windows.size() >= MAX_TRACKED) {
                key = kind + " (many addresses)";
                w = windows.get(key);
            }
            if (w == null || now - w.endsNanos >= 0) {
                countedBefore = w == null ? 0 : w.suppressed; // an ended interval its summary has not reached yet
                windows.put(key, new Window(now + intervalMillis * 1_000_000, level));
                logNow = true;
            } else {
                logNow = false;
                w.lastMessage = message;
                scheduleSummary = w.suppressed++ == 0;
            }
        }
        if (logNow) {
            int before = countedBefore;
            log.log(level, before == 0 ? message
                    : () -> message.get() + " (" + before + " more such refusal(s) before this line)");
        }
        if (scheduleSummary) {
            timer.schedule(this::summarize, intervalMillis);
        }
    }

    /** Says how many refusals each ended interval held beyond its first line, and forgets ended intervals. */
    void summarize() {
        long now = nanoClock.getAsLong();
        List<Window> ended = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Window> it = windows.values().iterator(); it.hasNext();) {
                Window w = it.next();
                if (now - w.endsNanos >= 0) {
                    if (w.suppressed > 0) {
                        ended.add(w);
                    }
                    it.remove();
                }
            }
        }
        long seconds = Math.max(1, intervalMillis / 1000);
        ended.forEach(w -> log.log(w.level, () -> w.lastMessage.get() + " (" + w.suppressed
                + " more such refusal(s) in the " + seconds + " s after the last line)"));
    }

    /** Says what is still counted: at a listener's stop. */
    void close() {
        synchronized (this) {
            windows.values().forEach(w -> {
                if (w.suppressed > 0) {
                    int n = w.suppressed;
                    Supplier<String> message = w.lastMessage;
                    log.log(w.level, () -> message.get() + " (" + n + " more such refusal(s) since the last line)");
                }
            });
            windows.clear();
        }
    }
}
