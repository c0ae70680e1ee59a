package dev.wharf.ftp.impl.auth;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.UserStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Several user stores consulted in order: the first that knows (and accepts) the user answers. */
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
        return Optional.empty();
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
