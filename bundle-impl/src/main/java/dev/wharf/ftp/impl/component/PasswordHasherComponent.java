package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.api.PasswordHasher;
import dev.wharf.ftp.impl.auth.PasswordHashing;
import org.osgi.service.component.annotations.Component;

/** Publishes Wharf's password hashing (Argon2id) for tools that create users, e.g. the Karaf shell commands. */
@Component(service = PasswordHasher.class)
public class PasswordHasherComponent implements PasswordHasher {

    @Override
    public String hash(char[] password) {
        return PasswordHashing.hash(password);
    }
}
