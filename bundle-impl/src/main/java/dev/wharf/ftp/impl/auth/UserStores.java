package dev.wharf.ftp.impl.auth;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Several user stores consulted in order: the first that knows (and accepts) the user answers. A login for a
 * name no store knows costs one password check against a stand-in hash of the default strength, as a known name
 * with a wrong password does: neither the time taken nor the reply tells names that exist from names that do not.
 */
public final class UserStores implements UserStore {

    private final Supplier<List<UserStore>> stores;

    /** @param stores the stores, most important first; read at every call, so it may change */
    public UserStores(Supplier<List<UserStore>> stores) {
        this.stores = stores;
    }

    @Override
    public Optional<UserAccount> authenticate(String userName, char[] password) {
        for (UserStore store : stores.get()) {
            Optional<UserAccount> account = store.authenticate(userName, password);
            if (account.isPresent()) {
                return account;
            }
        }
        if (find(userName).isEmpty()) {
            PasswordHashing.verify(StandIn.HASH, password); // the work a known name's wrong password costs
        }
        return Optional.empty();
    }

    /** A hash of a random password at the default cost, made once, when first needed. */
    private static final class StandIn {
        private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
        static final String HASH = PasswordHashing.hash(randomPassword());

        private static char[] randomPassword() {
            char[] p = new char[24];
            java.util.random.RandomGenerator random = RANDOM;
            for (int i = 0; i < p.length; i++) {
                p[i] = (char) ('a' + random.nextInt(26));
            }
            return p;
        }
    }

    @Override
    public boolean disabled(String userName) {
        for (UserStore store : stores.get()) {
            if (store.disabled(userName)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<UserAccount> find(String userName) {
        for (UserStore store : stores.get()) {
            Optional<UserAccount> account = store.find(userName);
            if (account.isPresent()) {
                return account;
            }
        }
        return Optional.empty();
    }
}
