package dev.wharf.ftp.api;

import java.util.Optional;

/**
 * A source of FTP users. Wharf publishes one over its {@code dev.wharf.ftp.user} configurations; other bundles
 * may register more (a file of users, a JAAS realm). Listeners consult every store, highest
 * {@code service.ranking} first, and take the first account that authenticates.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface UserStore {

    /**
     * Checks a login name and password.
     *
     * @return the account when this store knows the user, the password matches and the account is enabled;
     *         empty otherwise (including when the user is unknown to this store)
     */
    Optional<UserAccount> authenticate(String userName, char[] password);

    /**
     * Looks a user up without a password: used at USER, before the password is sent, to apply the user's own TLS
     * requirement and client-certificate login. A store that cannot do this keeps the default (empty), and its
     * users then get only the listener's policy.
     *
     * @return the enabled account of that name, or empty
     */
    default Optional<UserAccount> find(String userName) {
        return Optional.empty();
    }

    /**
     * Whether this store knows the user but the account is disabled. Used only to tell why a login failed (in
     * events and the audit log); the client's reply is the same as for a wrong password.
     */
    default boolean disabled(String userName) {
        return false;
    }
}
