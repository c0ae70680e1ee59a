package dev.wharf.ftp.impl.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Test;

/** The pool of password checks: shares per address, one check for the same name and password, places given back. */
public class PasswordChecksTest {

    private static final InetAddress HERE = address("192.0.2.1");
    private static final InetAddress ELSEWHERE = address("192.0.2.2");

    private final ExecutorService clients = Executors.newCachedThreadPool();
    private PasswordChecks checks;

    @After
    public void stop() throws InterruptedException {
        clients.shutdownNow();
        if (checks != null) {
            checks.close();
            assertTrue(checks.awaitTermination(5_000));
        }
    }

    /** A store whose checks wait for {@link #release}; "right" is alice's password. */
    private static final class SlowStore implements UserStore {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch started = new CountDownLatch(1);

        @Override
        public Optional<UserAccount> authenticate(String userName, char[] password) {
            calls.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return userName.equals("alice") && new String(password).equals("right")
                    ? Optional.of(UserAccount.builder("alice", Path.of("/srv/alice")).build())
                    : Optional.empty();
        }
    }

    @Test
    public void theSameNameAndPasswordAtOnceAreCheckedOnceAndAllGetTheAnswer() throws Exception {
        checks = new PasswordChecks(1, 4, 2, 10_000, Thread::new);
        SlowStore store = new SlowStore();
        List<Future<Optional<UserAccount>>> logins = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            logins.add(clients.submit(() -> checks.authenticate(store, HERE, "alice", "right".toCharArray())));
        }
        assertTrue(store.started.await(5, TimeUnit.SECONDS));
        // the other nineteen find the check under way, beyond the address's two places
        eventually(() -> checks.joinedSoFar() == 19);
        store.release.countDown();
        for (Future<Optional<UserAccount>> login : logins) {
            assertEquals("alice", login.get(5, TimeUnit.SECONDS).orElseThrow().name());
        }
        assertEquals("one check for twenty logins with the same password", 1, store.calls.get());
        assertEquals(0, checks.addressesUnderWay());
    }

    @Test
    public void oneAddressGetsItsShareAndOthersStillGetIn() throws Exception {
        checks = new PasswordChecks(1, 8, 2, 10_000, Thread::new);
        SlowStore store = new SlowStore();
        Future<Optional<UserAccount>> first = clients.submit(() -> checks.authenticate(store, HERE, "a", pw(1)));
        Future<Optional<UserAccount>> second = clients.submit(() -> checks.authenticate(store, HERE, "b", pw(2)));
        assertTrue(store.started.await(5, TimeUnit.SECONDS));
        eventually(() -> checks.placesHeldBy(HERE) == 2 && !first.isDone() && !second.isDone());
        try {
            checks.authenticate(store, HERE, "c", pw(3));
            fail("a third check from the same address while two are under way");
        } catch (PasswordChecks.Busy expected) {
            // refused at once
        }
        Future<Optional<UserAccount>> other = clients.submit(() -> checks.authenticate(store, ELSEWHERE, "alice",
                "right".toCharArray()));
        eventually(() -> checks.addressesUnderWay() == 2);
        store.release.countDown();
        assertFalse(first.get(5, TimeUnit.SECONDS).isPresent());
        assertFalse(second.get(5, TimeUnit.SECONDS).isPresent());
        assertTrue("another address is not held back", other.get(5, TimeUnit.SECONDS).isPresent());
        eventually(() -> checks.addressesUnderWay() == 0);
        assertFalse("places come back: the address may check again",
                checks.authenticate(store, HERE, "c", pw(3)).isPresent());
    }

    @Test
    public void aFullQueueRefusesTheCheckAndThoseWaitingForItsAnswerButGivesBackEveryPlace() throws Exception {
        checks = new PasswordChecks(1, 1, 16, 10_000, Thread::new);
        SlowStore store = new SlowStore();
        Future<Optional<UserAccount>> running = clients.submit(() -> checks.authenticate(store, HERE, "a", pw(1)));
        assertTrue(store.started.await(5, TimeUnit.SECONDS));
        Future<Optional<UserAccount>> queued = clients.submit(() -> checks.authenticate(store, HERE, "b", pw(2)));
        eventually(() -> checks.queued() == 1);
        try {
            checks.authenticate(store, ELSEWHERE, "c", pw(3));
            fail("one thread, one place in the queue: the third check is refused");
        } catch (PasswordChecks.Busy expected) {
            // refused at once
        }
        store.release.countDown();
        assertFalse(running.get(5, TimeUnit.SECONDS).isPresent());
        assertFalse(queued.get(5, TimeUnit.SECONDS).isPresent());
        eventually(() -> checks.addressesUnderWay() == 0);
        assertEquals(2, store.calls.get());
    }

    @Test
    public void aCheckThatTakesTooLongFailsTheLoginAndFreesItsPlace() throws Exception {
        checks = new PasswordChecks(1, 4, 1, 300, Thread::new);
        SlowStore store = new SlowStore();
        assertFalse(checks.authenticate(store, HERE, "alice", "right".toCharArray()).isPresent());
        eventually(() -> checks.addressesUnderWay() == 0);
        store.release.countDown();
        assertFalse("the address may try again", checks.authenticate(store, HERE, "bob", pw(1)).isPresent());
    }

    private static char[] pw(int n) {
        return ("wrong-" + n).toCharArray();
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not reached in 5 s");
            }
            Thread.sleep(10);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
