package dev.wharf.ftp.impl.data;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket in its "virtual clock" form: every transfer that moved {@code n} bytes reserves {@code n / rate}
 * seconds on one shared clock and sleeps until its reservation is due. Transfers sharing a throttle (one user's
 * parallel downloads) are therefore served in the order they asked, and together never exceed the rate by more
 * than the small burst a quiet bucket saves up. Thread-safe; the rate can change while transfers run (the user's
 * configuration changed).
 */
public final class Throttle {

    /** A quiet bucket saves up at most this much: enough to smooth scheduling jitter, too little to skew a rate. */
    private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long WAIT_STEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int MIN_CHUNK = 1024;
    private static final int MAX_CHUNK = 64 * 1024;

    private volatile long bytesPerSecond;
    /** When the bytes reserved so far are paid for (System.nanoTime()). */
    private long paidUntil = System.nanoTime();

    /** @param bytesPerSecond more than 0 */
    public Throttle(long bytesPerSecond) {
        rate(bytesPerSecond);
    }

    public long rate() {
        return bytesPerSecond;
    }

    /** Changes the rate, for reservations from now on. */
    public void rate(long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("a throttle needs a rate above 0, not " + value);
        }
        this.bytesPerSecond = value;
    }

    /**
     * How many bytes to move between two calls of {@link #pace}: a twentieth of a second's worth, from 1 KiB to
     * 64 KiB, so that the flow is even and a slow limit does not move in bursts.
     */
    public int chunk() {
        return (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, bytesPerSecond / 20));
    }

    /** Reserves time for {@code bytes} and returns how long to wait for it, in nanoseconds (0: none). */
    synchronized long reserve(long bytes, long now) {
        long start = Math.max(paidUntil, now - BURST_NANOS);
        paidUntil = start + bytes * 1_000_000_000L / bytesPerSecond;
        return Math.max(0, paidUntil - now);
    }

    /**
     * Accounts for {@code bytes} that moved and sleeps until they are within the rate. A long wait (a slow rate
     * shared by many transfers) calls {@code waiting} every second, so that the stall watchdog does not take a
     * throttled transfer for a stalled one.
     */
    public void pace(long bytes, Runnable waiting) throws InterruptedIOException {
        long wait = reserve(bytes, System.nanoTime());
        try {
            while (wait > 0) {
                long step = Math.min(wait, WAIT_STEP_NANOS);
                TimeUnit.NANOSECONDS.sleep(step);
                wait -= step;
                if (wait > 0) {
                    waiting.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("transfer interrupted while throttled");
        }
    }
}
