package dev.wharf.ftp.impl.auth;

import java.security.Principal;
import java.util.Set;
import java.util.TreeSet;
import javax.security.auth.Subject;

/**
 * The roles and groups a JAAS login gave a user, read from the principals of its subject: every principal whose
 * class is a role or a group principal by name ({@code ...RolePrincipal}, {@code ...GroupPrincipal}). That covers
 * Karaf's realms (a role of the user, and a group of {@code users.properties} or of LDAP), Jetty's and the JDK's
 * Unix group principals, without this bundle depending on any of them.
 */
public final class RealmRoles {

    /** The class of the principal the JDK's LdapLoginModule adds for the user's entry: its name is the user's DN. */
    static final String LDAP_PRINCIPAL = "com.sun.security.auth.LdapPrincipal";

    private RealmRoles() {
    }

    /** The names of the subject's role and group principals. */
    public static Set<String> of(Subject subject) {
        Set<String> roles = new TreeSet<>();
        for (Principal p : subject.getPrincipals()) {
            String type = p.getClass().getSimpleName();
            if (type.endsWith("RolePrincipal") || type.endsWith("GroupPrincipal")) {
                roles.add(p.getName());
            }
        }
        return roles;
    }

    /** The distinguished name of the user's directory entry, when an LDAP login module named it; else null. */
    public static String ldapDn(Subject subject) {
        for (Principal p : subject.getPrincipals()) {
            if (p.getClass().getName().equals(LDAP_PRINCIPAL)) {
                return p.getName();
            }
        }
        return null;
    }
}
