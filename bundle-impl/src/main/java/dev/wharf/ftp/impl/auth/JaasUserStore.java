package dev.wharf.ftp.impl.auth;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.naming.NamingException;
import javax.security.auth.Subject;
import javax.security.auth.login.Configuration;

/**
 * Users of a JAAS realm: the realm checks the password (Wharf never sees a stored one), and its roles or groups
 * decide who may log in and who may write. Plain Java; {@code component.JaasStoreComponent} makes one per
 * {@code dev.wharf.ftp.jaas} configuration and closes it when the configuration goes.
 *
 * <p>A realm call runs on a thread of this store with a time limit, so a directory that does not answer costs a
 * login the limit and no more, and never holds the server's password pool: the login is refused (530) and the
 * log says why. A successful login is remembered for a short time (an HMAC of the password under a key that lives
 * in memory only), so that clients that log in for every file do not send each login to the directory.
 */
public final class JaasUserStore implements UserStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JaasUserStore.class.getName());
    /** Realm calls at once; more are refused at once, as a directory that lets this many hang is down. */
    private static final int MAX_CALLS = 4;

    /** Where the realm's login configuration comes from: a file of the store's own, or the JVM's. */
    @FunctionalInterface
    public interface ConfigurationSource {
        /** @throws IOException naming what is wrong, when there is no usable configuration */
        Configuration current() throws IOException;
    }

    /**
     * How the store reaches its realm.
     *
     * @param store the store's name, for the log
     * @param groups the LDAP group search for realms that report no groups; null: roles from the realm only
     */
    public record Realm(String store, String realm, ConfigurationSource configuration, int timeoutMillis,
            long cacheNanos, LdapGroups groups) {
    }

    private record Memo(byte[] mac, long expiresAt, UserAccount account) {
    }

    private final Realm realm;
    private final RealmAccounts accounts;
    private final ThreadPoolExecutor calls;
    private final PasswordMac macs = new PasswordMac();
    private final Map<String, Memo> remembered = new ConcurrentHashMap<>();

    public JaasUserStore(Realm realm, RealmAccounts accounts) {
        this.realm = realm;
        this.accounts = accounts;
        AtomicInteger count = new AtomicInteger();
        this.calls = new ThreadPoolExecutor(0, MAX_CALLS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread t = new Thread(task, "wharf-realm-" + realm.store() + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The realm cannot tell about a user without the password, so there is nothing to find before it. */
    @Override
    public Optional<UserAccount> find(String userName) {
        return Optional.empty();
    }

    @Override
    public Optional<UserAccount> authenticate(String userName, char[] password) {
        if (!RealmAccounts.safeName(userName)) {
            return Optional.empty();
        }
        byte[] mac = macs.of(password);
        Memo memo = remembered.get(userName);
        if (memo != null && System.nanoTime() - memo.expiresAt() < 0 && MessageDigest.isEqual(memo.mac(), mac)) {
            return Optional.of(memo.account());
        }
        Optional<UserAccount> account = askRealm(userName, password);
        if (account.isPresent() && realm.cacheNanos() > 0) {
            remembered.values().removeIf(m -> System.nanoTime() - m.expiresAt() >= 0);
            remembered.put(userName, new Memo(mac, System.nanoTime() + realm.cacheNanos(), account.get()));
        } else {
            remembered.remove(userName);
        }
        return account;
    }

    private Optional<UserAccount> askRealm(String user, char[] password) {
        char[] copy = password.clone();
        // set when the login stopped waiting: what the realm says after that is not logged a second time
        AtomicBoolean abandoned = new AtomicBoolean();
        Future<Optional<UserAccount>> call;
        try {
            call = calls.submit(() -> {
                try {
                    return login(user, copy, abandoned);
                } finally {
                    Arrays.fill(copy, '\0');
                }
            });
        } catch (RejectedExecutionException busy) {
            Arrays.fill(copy, '\0');
            LOG.warning(prefix() + (calls.isShutdown() ? "replaced by a new configuration at this moment"
                    : MAX_CALLS + " calls to the realm are still waiting for an answer") + "; login of user '" + user
                    + "' refused");
            return Optional.empty();
        }
        try {
            return call.get(realm.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandoned.set(true);
            call.cancel(true);
            LOG.warning(prefix() + "no answer within " + realm.timeoutMillis() + " ms (key 'timeout'); login of user '"
                    + user + "' refused");
        } catch (ExecutionException e) {
            LOG.warning(prefix() + "login of user '" + user + "' failed: " + RealmLogin.describe(e.getCause()));
        } catch (InterruptedException e) {
            abandoned.set(true);
            call.cancel(true);
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    /** Logs a warning unless the login it belongs to was given up already (and said so). */
    private static void warn(AtomicBoolean abandoned, String message) {
        if (!abandoned.get()) {
            LOG.warning(message);
        }
    }

    /** One realm login, on a thread of this store. */
    private Optional<UserAccount> login(String user, char[] password,
            AtomicBoolean abandoned) {
        Configuration configuration;
        try {
            configuration = realm.configuration().current();
        } catch (IOException | SecurityException e) {
            warn(abandoned, prefix() + "no login configuration: " + RealmLogin.describe(e) + "; login of user '" + user
                    + "' refused");
            return Optional.empty();
        }
        RealmLogin.Outcome outcome = RealmLogin.login(configuration, realm.realm(), user, password,
                realm.timeoutMillis());
        if (outcome instanceof RealmLogin.Refused refused) {
            LOG.fine(() -> prefix() + "refused user '" + user + "': " + refused.why());
            return Optional.empty();
        }
        if (outcome instanceof RealmLogin.Unavailable unavailable) {
            warn(abandoned, prefix() + "cannot be used: " + unavailable.why() + "; login of user '" + user
                    + "' refused");
            return Optional.empty();
        }
        Subject subject = ((RealmLogin.Accepted) outcome).subject();
        Set<String> roles = new TreeSet<>(RealmRoles.of(subject));
        if (realm.groups() != null) {
            String dn = RealmRoles.ldapDn(subject);
            if (dn != null) {
                try {
                    roles.addAll(realm.groups().of(dn, user, password, realm.timeoutMillis()));
                } catch (NamingException e) {
                    warn(abandoned, prefix() + "cannot read the groups of user '" + user + "' from "
                            + realm.groups().url() + ": " + RealmLogin.describe(e) + "; login refused");
                    return Optional.empty();
                }
            }
        }
        if (!accounts.admits(roles)) {
            LOG.info(prefix() + "user '" + user + "' has not the role '" + accounts.loginRole()
                    + "' (key 'login.role'; the realm reports " + roles + "); login refused");
            return Optional.empty();
        }
        UserAccount account;
        try {
            account = accounts.account(user, roles);
        } catch (IllegalArgumentException e) {
            LOG.warning(prefix() + "'certificate.subject' gives no distinguished name for user '" + user + "': "
                    + e.getMessage() + "; login refused");
            return Optional.empty();
        }
        if (!accounts.createHome() && !Files.isDirectory(account.home())) {
            LOG.warning(prefix() + "the home of user '" + user + "', " + account.home() + ", does not exist and "
                    + "'home.create' is false; login refused");
            return Optional.empty();
        }
        return Optional.of(account);
    }

    private String prefix() {
        return "user store '" + realm.store() + "' (realm '" + realm.realm() + "'): ";
    }

    /**
     * A new configuration replaced this store: the realm calls under way finish (each within the timeout, as its
     * login waits no longer), no new one starts, and the threads end after them.
     */
    public void retire() {
        calls.shutdown();
        remembered.clear();
    }

    /** Whether the store is retired or closed and its last realm thread has ended. */
    public boolean finished() {
        return calls.isTerminated();
    }

    /** Ends the store's realm threads; a call still waiting for a directory is interrupted. */
    @Override
    public void close() {
        calls.shutdownNow();
        remembered.clear();
    }
}
