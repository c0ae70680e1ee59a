package dev.wharf.ftp.impl.auth;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.UserAccount;
import java.nio.file.Path;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * How a user a realm authenticated becomes an FTP account: a home from a template, write access by role, and the
 * per-user settings that {@code .cfg} users set one by one, here the same for every user of the store.
 *
 * @param homeTemplate e.g. {@code /srv/ftp/{user}}
 * @param createHome whether a missing home is created at login (else the login is refused)
 * @param loginRole the role or group a user must have to log in; null: any user the realm accepts
 * @param writeRole the role or group that grants write access; null: nobody writes
 * @param certificateSubjectTemplate e.g. {@code CN={user},O=Example}: the client certificate required in addition
 *     to the password; null: none
 */
public record RealmAccounts(String homeTemplate, boolean createHome, String loginRole, String writeRole,
        TlsRequirement tlsRequired, int maxSessions, int maxSessionsPerIp, int idleTimeoutSeconds,
        String certificateSubjectTemplate) {

    /**
     * What stands for the login name in the templates. Not {@code ${user}}: FileInstall and Karaf replace
     * {@code ${...}} in a .cfg file with a system property (an unknown one with nothing) before Wharf sees it, which
     * would give every user the same home. {@code ${user}} is still understood where it arrives intact (the Web
     * Console, ConfigAdmin).
     */
    public static final String USER = "{user}";

    /**
     * Whether a login name may stand in a home path: one plain path name, so that no name can reach another
     * user's home or climb out of the template's directory.
     */
    public static boolean safeName(String name) {
        if (name.isEmpty() || name.length() > 255 || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    public Path home(String user) {
        return Path.of(fill(homeTemplate, user));
    }

    /** The template with the value in place of {@code {user}} (or {@code ${user}}). */
    public static String fill(String template, String value) {
        return template.replace("$" + USER, value).replace(USER, value);
    }

    /** Whether the template has a place for the login name. */
    public static boolean hasUser(String template) {
        return template.contains(USER);
    }

    /** Whether the roles let the user log in. */
    public boolean admits(Set<String> roles) {
        return loginRole == null || roles.contains(loginRole);
    }

    /** A name as an attribute value of a DN (RFC 4514): its special characters escaped. */
    static String dnValue(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean edge = (i == 0 && (c == ' ' || c == '#')) || (i == name.length() - 1 && c == ' ');
            if (edge || ",+\"\\<>;=".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The account of a user the realm accepted, with the roles it reported. */
    public UserAccount account(String user, Set<String> roles) {
        X500Principal subject = certificateSubjectTemplate == null ? null
                : new X500Principal(fill(certificateSubjectTemplate, dnValue(user)));
        return UserAccount.builder(user, home(user))
                .writable(writeRole != null && roles.contains(writeRole))
                .maxSessions(maxSessions)
                .maxSessionsPerIp(maxSessionsPerIp)
                .idleTimeoutSeconds(idleTimeoutSeconds)
                .tlsRequired(tlsRequired)
                .certificate(subject, UserAccount.CertificateLogin.CERTIFICATE_AND_PASSWORD)
                .build();
    }
}
