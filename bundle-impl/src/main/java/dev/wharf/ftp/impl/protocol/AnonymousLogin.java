package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.fs.AccessRules;
import dev.wharf.ftp.impl.settings.AnonymousAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Anonymous FTP, where the listener offers it: USER {@code anonymous} or {@code ftp}, any password. The session is
 * read-only in the anonymous root; a drop box, if configured, takes new files and shows nothing. The listener's
 * TLS policy applies as to anyone (USER is refused before AUTH on a listener that requires TLS).
 */
final class AnonymousLogin {

    private static final Logger LOG = Logger.getLogger(AnonymousLogin.class.getName());
    /** The account every anonymous session shares: its name is what session limits and logs count. */
    static final String ACCOUNT = "anonymous";
    private static final int SHOWN_PASSWORD = 100;

    private AnonymousLogin() {
    }

    /** Whether this listener treats the name as an anonymous login. */
    static boolean applies(FtpSession s, String name) {
        return s.host.settings().anonymous().enabled() && AnonymousAccess.isAnonymousName(name);
    }

    /** PASS for an anonymous name: the password is not checked, only logged (by custom an e-mail address). */
    static void login(FtpSession s, String password) throws IOException {
        AnonymousAccess access = s.host.settings().anonymous();
        if (access.dropBox() != null && !dropBoxReady(access)) {
            s.reply(530, "Login failed: anonymous access is not available.");
            return;
        }
        UserAccount account = UserAccount.builder(ACCOUNT, access.root()).writable(false).build();
        if (AccessCommands.loggedIn(s, account, AccessRules.readOnly(access.dropBox()),
                "Anonymous access granted: read-only" + (access.dropBox() == null ? "" : ", uploads to "
                        + access.dropBox() + " only") + ".", "anonymous")) {
            LOG.info(() -> "anonymous login from " + s.clientAddress() + ", password (e-mail) '" + shown(password)
                    + "'");
        }
    }

    /** The drop box is made when missing, as a home is; a file in its place is said in the log. */
    private static boolean dropBoxReady(AnonymousAccess access) {
        Path box = access.root().resolve(access.dropBox().substring(1));
        try {
            Files.createDirectories(box);
            return true;
        } catch (IOException e) {
            LOG.severe("listener key 'anonymous.incoming': the drop box " + box + " cannot be created (" + e
                    + "); anonymous logins are refused until this is fixed");
            return false;
        }
    }

    /** The client's password as the log shows it: printable characters only, and not too many of them. */
    static String shown(String password) {
        StringBuilder out = new StringBuilder();
        password.codePoints().limit(SHOWN_PASSWORD).forEach(c -> out.appendCodePoint(
                Character.isISOControl(c) || c == '\'' ? '?' : c));
        return out.toString();
    }
}
