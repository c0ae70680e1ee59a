package dev.wharf.ftp.impl.auth;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where passwords are checked: a few threads (half the cores) and a short queue. A password check is the
 * costliest thing an unauthenticated client can make the server do (Argon2id takes 19 MiB and tens of
 * milliseconds), so its memory and CPU are bounded by this pool, not by the number of clients: when the queue is
 * full, a login is refused at once ({@link Busy}) instead of waiting, and logged-in users keep at least half of
 * the machine during a flood of wrong passwords.
 */
public final class PasswordChecks implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PasswordChecks.class.getName());

    /** Thrown when every thread is busy and the queue is full: the client should try again later. */
    public static final class Busy extends Exception {
        private static final long serialVersionUID = 1L;

        Busy() {
            super("too many password checks at once", null, false, false);
        }
    }

    private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final ThreadPoolExecutor pool;
    private final long timeoutMillis;
    private final AtomicInteger refusedSinceLog = new AtomicInteger();
    private final AtomicLong nextRefusalLog = new AtomicLong(System.nanoTime());

    /**
     * @param threads checks that run at once
     * @param queued checks that may wait for a thread
     * @param timeoutMillis how long a check (a directory server, say) may take before it counts as failed
     */
    public PasswordChecks(int threads, int queued, long timeoutMillis, ThreadFactory factory) {
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queued), factory, new ThreadPoolExecutor.AbortPolicy());
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Checks a login on the pool and waits for the answer. The password is copied for the check and the copy
     * wiped after it; the caller wipes its own.
     *
     * @throws Busy when the pool cannot take the check now
     */
    public Optional<UserAccount> authenticate(UserStore users, String user, char[] password) throws Busy {
        char[] copy = password.clone();
        Future<Optional<UserAccount>> check;
        try {
            check = pool.submit(() -> {
                try {
                    return users.authenticate(user, copy);
                } finally {
                    Arrays.fill(copy, '\0');
                }
            });
        } catch (RejectedExecutionException full) {
            Arrays.fill(copy, '\0');
            logRefusals();
            throw new Busy();
        }
        try {
            return check.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            check.cancel(true);
            LOG.warning("checking the password of user '" + user + "' took longer than " + timeoutMillis
                    + " ms; login refused");
            return Optional.empty();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "checking the password of user '" + user + "' failed", e.getCause());
            return Optional.empty();
        } catch (InterruptedException e) {
            check.cancel(true);
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** One line every ten seconds at most: a flood must not flood the log too. */
    private void logRefusals() {
        refusedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long next = nextRefusalLog.get();
        if (now - next >= 0 && nextRefusalLog.compareAndSet(next, now + REFUSAL_LOG_INTERVAL_NANOS)) {
            int count = refusedSinceLog.getAndSet(0);
            LOG.warning(count + " login(s) refused with 421 in the last seconds: more passwords to check at once "
                    + "than " + pool.getMaximumPoolSize() + " thread(s) and their queue can take");
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    boolean awaitTermination(long millis) throws InterruptedException {
        return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
