package dev.wharf.ftp.shell;

import dev.wharf.ftp.api.PasswordHasher;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** wharf:hash-password: asks for a password without echo and prints its hash for a user's password key. */
@Command(scope = "wharf", name = "hash-password",
        description = "Asks for a password (twice, without echo) and prints its Argon2id hash for a user's "
                + "'password' key.")
@Service
public class HashPasswordCommand implements Action {

    @Reference
    Session session;

    @Reference
    PasswordHasher hasher;

    @Override
    public Object execute() throws Exception {
        char[] password = PasswordInput.read(session);
        if (password == null) {
            System.err.println("No password given.");
            return null;
        }
        try {
            System.out.println(hasher.hash(password));
        } finally {
            PasswordInput.clear(password);
        }
        return null;
    }
}
