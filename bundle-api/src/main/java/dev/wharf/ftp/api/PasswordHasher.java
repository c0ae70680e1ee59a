package dev.wharf.ftp.api;

/**
 * Turns a password into the form a {@code dev.wharf.ftp.user} configuration stores, so that tools (the Karaf shell's
 * {@code wharf:user-add}, an admin page) never write a clear-text password. Published by Wharf's implementation.
 *
 * @since 1.2
 */
@org.osgi.annotation.versioning.ProviderType
public interface PasswordHasher {

    /**
     * The password's hash as a user's {@code password} value: Argon2id in the PHC string form
     * ({@code $argon2id$v=19$m=...}) with a new random salt. The caller should clear the array afterwards.
     */
    String hash(char[] password);
}
