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
}
