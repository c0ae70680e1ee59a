package dev.wharf.ftp.impl.auth;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where passwords are checked: a few threads (half the cores) and a queue. A password check is the costliest thing
 * an unauthenticated client can make the server do (Argon2id takes 19 MiB and tens of milliseconds), so its memory
 * and CPU are bounded by this pool, not by the number of clients, and three rules keep a flood from costing more
 * than a few hashes:
 * <ul>
 * <li>when the queue is full, a login is refused at once ({@link Busy}) instead of waiting;</li>
 * <li>one client address has at most a share of the pool under way: its further logins are refused the same way,
 * so a flood from one place does not fill the queue that a burst of real clients from everywhere else needs;</li>
 * <li>the same name and password checked again while the first check is under way (a tool opening 50 parallel
 * connections with one account) waits for that check's answer instead of hashing again, and takes no place.</li>
 * </ul>
 * Logged-in users keep at least half of the machine during a flood of wrong passwords.
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
    private final AddressShares shares;
    private final long timeoutMillis;
    private final ConcurrentHashMap<SameCheck, Future<Optional<UserAccount>>> underWay = new ConcurrentHashMap<>();
    private final AtomicInteger refusedSinceLog = new AtomicInteger();
    private final AtomicInteger joined = new AtomicInteger();
    private final AtomicLong nextRefusalLog = new AtomicLong(System.nanoTime());

    /**
     * @param threads checks that run at once
     * @param queued checks that may wait for a thread
     * @param perAddress checks one client address may have queued or running
     * @param timeoutMillis how long a check (a directory server, say) may take before it counts as failed
     */
    public PasswordChecks(int threads, int queued, int perAddress, long timeoutMillis, ThreadFactory factory) {
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queued), factory, new ThreadPoolExecutor.AbortPolicy());
        this.shares = new AddressShares(perAddress);
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Checks a login on the pool and waits for the answer. The password is copied for the check and the copy
     * wiped after it; the caller wipes its own.
     *
     * @param from the client's address (behind a load balancer, the one its PROXY header gave)
     * @throws Busy when the pool, or this address's share of it, cannot take the check now
     */
    public Optional<UserAccount> authenticate(UserStore users, InetAddress from, String user, char[] password)
            throws Busy {
        SameCheck same = SameCheck.of(users, user, password);
        Check check = new Check(users, user, password.clone(), from);
        Future<Optional<UserAccount>> earlier = underWay.putIfAbsent(same, check);
        if (earlier != null) {
            check.wipe();
            joined.incrementAndGet();
            return answer(earlier, user);
        }
        try {
            submit(check);
            return answer(check, user);
        } finally {
            underWay.remove(same, check);
        }
    }

    private void submit(Check check) throws Busy {
        if (!check.takePlace()) {
            refuse(check, "its address already had " + shares.perAddress() + " under way");
        }
        try {
            pool.execute(check);
        } catch (RejectedExecutionException full) {
            refuse(check, "all " + pool.getMaximumPoolSize() + " thread(s) and the queue were taken");
        }
    }

    private void refuse(Check check, String why) throws Busy {
        check.wipe();
        check.cancel(false); // those waiting for the same answer are refused too
        logRefusals(why);
        throw new Busy();
    }

    /** Waits for a check's answer: its own, or the one of the same check another login started. */
    private Optional<UserAccount> answer(Future<Optional<UserAccount>> check, String user) throws Busy {
        try {
            return check.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (CancellationException refusedOrTimedOut) {
            throw new Busy();
        } catch (TimeoutException e) {
            check.cancel(true);
            LOG.warning("checking the password of user '" + user + "' took longer than " + timeoutMillis
                    + " ms; login refused");
            return Optional.empty();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "checking the password of user '" + user + "' failed", e.getCause());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** One line every ten seconds at most: a flood must not flood the log too. */
    private void logRefusals(String why) {
        refusedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long next = nextRefusalLog.get();
        if (now - next >= 0 && nextRefusalLog.compareAndSet(next, now + REFUSAL_LOG_INTERVAL_NANOS)) {
            int count = refusedSinceLog.getAndSet(0);
            LOG.warning(count + " login(s) refused with 421 in the last seconds: more passwords to check at once "
                    + "than the pool takes (the latest: " + why + ")");
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Client addresses with checks under way: for tests. */
    int addressesUnderWay() {
        return shares.addresses();
    }

    /** The places an address holds (its checks queued or running): for tests. */
    int placesHeldBy(InetAddress from) {
        return shares.held(from);
    }

    /** Checks waiting in the queue for a thread: for tests. */
    int queued() {
        return pool.getQueue().size();
    }

    /** Logins so far that found the same check under way and waited for its answer: for tests. */
    int joinedSoFar() {
        return joined.get();
    }

    boolean awaitTermination(long millis) throws InterruptedException {
        return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    /** One password check: runs on the pool, holds one of its address's places until it ends. */
    private final class Check extends FutureTask<Optional<UserAccount>> {
        private final InetAddress from;
        private final char[] password;
        private final AtomicBoolean holdsPlace = new AtomicBoolean();

        Check(UserStore users, String user, char[] password, InetAddress from) {
            super(() -> {
                try {
                    return users.authenticate(user, password);
                } finally {
                    Arrays.fill(password, '\0');
                }
            });
            this.from = from;
            this.password = password;
        }

        boolean takePlace() {
            boolean taken = shares.tryTake(from);
            holdsPlace.set(taken);
            return taken;
        }

        void wipe() {
            Arrays.fill(password, '\0');
        }

        @Override
        protected void done() {
            if (holdsPlace.getAndSet(false)) {
                shares.giveBack(from); // also when cancelled while still queued, which never runs the check
            }
        }
    }

    /**
     * Which checks give the same answer: the same store, name and password. The password is kept only as its
     * SHA-256 digest, and only while the check is under way.
     */
    private record SameCheck(UserStore store, String user, ByteBuffer passwordDigest) {

        static SameCheck of(UserStore store, String user, char[] password) {
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                sha256.update(encoded.duplicate());
                return new SameCheck(store, user, ByteBuffer.wrap(sha256.digest()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            } finally {
                if (encoded.hasArray()) {
                    Arrays.fill(encoded.array(), (byte) 0);
                }
            }
        }
    }
}
