package dev.wharf.ftp.impl.fs;

import dev.wharf.ftp.api.UserAccount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Makes sure a user's home directory can serve as the user's root: it is created when missing, and must be a
 * directory the server can list and enter (and write, for a user with write access). Checked when the user's
 * configuration loads, so that a mistake shows at once, and again at each login, so that a directory that comes
 * back (a mount) is used again without a restart.
 */
public final class HomeDirectory {

    private HomeDirectory() {
    }

    /**
     * @param source where the account is configured, for the message
     * @return why the home cannot be used, in one line naming the source, the key and the path; empty when usable
     */
    public static Optional<String> check(UserAccount account, String source) {
        Path home = account.home();
        String prefix = source + ": 'home' is '" + home + "'";
        String who = "; user '" + account.name() + "' cannot log in until this is fixed";
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            return Optional.of(prefix + ", which cannot be created (" + e + ")" + who);
        }
        if (!Files.isDirectory(home)) {
            return Optional.of(prefix + ", which is not a directory" + who);
        }
        if (!Files.isReadable(home) || !Files.isExecutable(home)) {
            return Optional.of(prefix + ", which the server may not read" + who);
        }
        if (account.writable() && !Files.isWritable(home)) {
            return Optional.of(prefix + ", which the server may not write although 'write' is true" + who);
        }
        return Optional.empty();
    }
}
