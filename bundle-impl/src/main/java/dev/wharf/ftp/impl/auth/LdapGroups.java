package dev.wharf.ftp.impl.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Hashtable;
import java.util.Set;
import java.util.TreeSet;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;

/**
 * The groups of a directory user, for a realm whose login module reports none (the JDK's LdapLoginModule names
 * the user's entry only). Searched right after the login, bound as the user with the password just verified, so
 * that no service account is needed: the directory must let its users read the groups (OpenLDAP's default).
 *
 * @param url the directory, e.g. {@code ldap://ldap.example.org:389} (a DN after it is ignored)
 * @param base where the groups are, e.g. {@code ou=groups,dc=example,dc=org}
 * @param filter a search filter in which {@code {dn}} stands for the user's DN and {@code {user}} for the login
 *     name, both escaped as RFC 4515 requires
 * @param attribute the attribute of a group entry that names it, e.g. {@code cn}
 */
public record LdapGroups(String url, String base, String filter, String attribute) {

    /** Matches groupOfNames, groupOfUniqueNames and posixGroup entries. */
    public static final String DEFAULT_FILTER = "(|(member={dn})(uniqueMember={dn})(memberUid={user}))";

    /**
     * The directory's address from an LDAP URL as login modules take it ({@code userProvider} of the JDK's,
     * {@code connection.url} of Karaf's), which may list several URLs and end in a DN; the first one counts.
     *
     * @throws IllegalArgumentException when it is not an ldap: or ldaps: URL
     */
    public static String serverOf(String providerUrls) {
        String first = providerUrls.strip().split("\\s+")[0];
        try {
            URI uri = new URI(first);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("ldap".equalsIgnoreCase(scheme) || "ldaps".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException("'" + first + "' is not an ldap:// or ldaps:// URL");
            }
            return scheme + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + first + "' is not a URL: " + e.getReason(), e);
        }
    }

    /**
     * The names of the user's groups.
     *
     * @throws NamingException when the directory cannot be reached or refuses the search
     */
    public Set<String> of(String userDn, String user, char[] password, int timeoutMillis) throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, url);
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, userDn);
        env.put(Context.SECURITY_CREDENTIALS, password.clone());
        env.put(RealmLogin.LDAP_CONNECT_TIMEOUT, Integer.toString(timeoutMillis));
        env.put(RealmLogin.LDAP_READ_TIMEOUT, Integer.toString(timeoutMillis));
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        self.setContextClassLoader(ClassLoader.getSystemClassLoader()); // where JNDI finds its LDAP provider
        DirContext context = null;
        try {
            context = new InitialDirContext(env);
            SearchControls controls = new SearchControls();
            controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
            controls.setReturningAttributes(new String[] {attribute});
            controls.setTimeLimit(timeoutMillis);
            String expression = filter.replace("{dn}", "{0}").replace("{user}", "{1}");
            Set<String> groups = new TreeSet<>();
            NamingEnumeration<SearchResult> found = context.search(base, expression, new Object[] {userDn, user},
                    controls);
            try {
                while (found.hasMore()) {
                    Attribute names = found.next().getAttributes().get(attribute);
                    for (int i = 0; names != null && i < names.size(); i++) {
                        groups.add(String.valueOf(names.get(i)));
                    }
                }
            } finally {
                found.close();
            }
            return groups;
        } finally {
            self.setContextClassLoader(before);
            if (context != null) {
                context.close();
            }
        }
    }
}
