package dev.wharf.ftp.impl.net;

import dev.wharf.ftp.impl.activity.Activities;
import dev.wharf.ftp.impl.activity.LoginAudit;
import dev.wharf.ftp.impl.auth.LoginRegistry;
import dev.wharf.ftp.impl.auth.PasswordChecks;
import dev.wharf.ftp.impl.data.StallWatchdog;
import dev.wharf.ftp.impl.data.UserShares;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every listener of one server shares and nothing outlives: the pool of transfer threads, one timer thread
 * (the data-connection watchdog, deadlines, delayed warnings), the bounded pool that checks passwords and the
 * registry of logged-in sessions. Created by
 * whoever runs the server (a DS component, or a test) and closed by it: after {@link #close()} no thread of it is
 * left.
 *
 * <p>Transfers run on pooled platform threads in every JVM: a virtual thread that reads a socket faster than the
 * peer fills it parks and is woken through the JDK's poller on almost every read, which cost a plain upload
 * 15-30% more CPU than a thread blocked in the kernel. Only running transfers hold such a thread; an idle pooled
 * thread ends after 30 seconds.
 */
public final class ServerRuntime implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServerRuntime.class.getName());
    private static final long CLOSE_WAIT_SECONDS = 5;
    /** A password check that takes longer (a directory server that hangs) fails the login. */
    private static final long PASSWORD_CHECK_TIMEOUT_MILLIS = 30_000;
    /** Password checks one client address may have queued or running at once (its next logins get 421). */
    static final int PASSWORD_CHECKS_PER_ADDRESS = 16;

    private final AtomicLong threadCount = new AtomicLong();
    private final ThreadPoolExecutor transfers;
    private final ScheduledExecutorService timer;
    private final StallWatchdog dataWatchdog = new StallWatchdog();
    private final LoginRegistry logins = new LoginRegistry();
    private final PasswordChecks passwordChecks;
    private final Activities activities = new Activities();
    private final UserShares userShares = new UserShares();
    /** The defender its component attached, or null while there is none. */
    private volatile Defender defender;
    private final AtomicLong sessionCount = new AtomicLong();
    /** The endpoints that may have sessions: from their bind until their last session has ended. */
    private final java.util.Set<FtpEndpoint> endpoints = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Tells this run's session ids from an earlier run's in logs kept across restarts. */
    private final String runPrefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);

    public ServerRuntime() {
        this.transfers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemon("wharf-transfer-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("wharf-timer-"));
        // Half the cores at most hash passwords, so that a flood of wrong ones leaves the rest to logged-in users.
        // The queue is long enough for a burst of real clients from many places (everyone reconnecting after a
        // restart); one address gets a share of it, so that a flood from one client costs a few hashes, not the
        // whole queue's worth of garbage for the collector (a CI machine with more cores grew the heap by 430 MB
        // when 200 wrong passwords from one address could all be queued).
        int checkers = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        this.passwordChecks = new PasswordChecks(checkers, 64 * checkers, PASSWORD_CHECKS_PER_ADDRESS,
                PASSWORD_CHECK_TIMEOUT_MILLIS, daemon("wharf-password-"));
        timer.scheduleWithFixedDelay(guarded(dataWatchdog::check), 1, 1, TimeUnit.SECONDS);
        activities.add(new LoginAudit(), LoginAudit.TOPICS);
    }

    private ThreadFactory daemon(String prefix) {
        return task -> {
            Thread t = new Thread(task, prefix + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A periodic task that logs what it throws instead of silently ending its schedule. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "periodic server task failed", e);
            }
        };
    }

    /** Runs a transfer on a pooled platform thread, named after it while it runs. */
    public void runTransfer(String name, Runnable task) {
        transfers.execute(() -> {
            Thread self = Thread.currentThread();
            String poolName = self.getName();
            self.setName(name);
            try {
                task.run();
            } finally {
                self.setName(poolName);
            }
        });
    }

    /** Runs a task that may block (I/O, configuration updates) on a pooled thread, named after it while it runs. */
    public void runInBackground(String name, Runnable task) {
        runTransfer(name, task);
    }

    /** Runs a short task once after a delay on the timer thread; it must not block. */
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return timer.schedule(guarded(task), delay, unit);
    }

    /** Runs a short task every {@code period} on the timer thread until its future is cancelled. */
    public ScheduledFuture<?> every(Runnable task, long period, TimeUnit unit) {
        return timer.scheduleWithFixedDelay(guarded(task), period, period, unit);
    }

    public StallWatchdog dataWatchdog() {
        return dataWatchdog;
    }

    public LoginRegistry logins() {
        return logins;
    }

    public PasswordChecks passwordChecks() {
        return passwordChecks;
    }

    /** Where every listener's sessions report what happens; sinks (EventAdmin, transfer logs) subscribe here. */
    public Activities activities() {
        return activities;
    }

    /** Bandwidth and quota usage shared by the logins of each user and home. */
    public UserShares userShares() {
        return userShares;
    }

    /** The defender that bans misbehaving addresses, or null when none runs. */
    public Defender defender() {
        return defender;
    }

    /**
     * Puts a defender in charge (null: none): it takes failed logins from the activities, and listeners ask it at
     * each connection. The one it replaces no longer gets either.
     */
    public void defender(Defender next) {
        Defender previous = defender;
        if (previous != null) {
            activities.remove(previous);
        }
        if (next != null) {
            activities.add(next, Defender.TOPICS);
        }
        defender = next;
    }

    void endpointStarted(FtpEndpoint endpoint) {
        endpoints.add(endpoint);
    }

    void endpointStopped(FtpEndpoint endpoint) {
        endpoints.remove(endpoint);
    }

    /**
     * Ends the sessions of a user on every listener (the account was removed or disabled): 421, transfers aborted.
     *
     * @return how many sessions were ended
     */
    public int endSessionsOf(String user, String reason) {
        int ended = 0;
        for (FtpEndpoint endpoint : endpoints) {
            ended += endpoint.endSessionsOf(user, reason);
        }
        return ended;
    }

    /** A new session's identifier, such as {@code k3f9-17}: unique in this run, and unlikely to repeat across runs. */
    public String nextSessionId() {
        return runPrefix + "-" + sessionCount.incrementAndGet();
    }

    /** Stops the timer and the transfer threads; transfers still running are interrupted. */
    @Override
    public void close() {
        timer.shutdownNow();
        transfers.shutdownNow();
        passwordChecks.close();
        try {
            if (!timer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)
                    || !transfers.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warning("server threads did not end within " + CLOSE_WAIT_SECONDS + " s of shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
