package dev.wharf.ftp.impl.auth;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AccountException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.CredentialException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * One JAAS login: a user name and password handed to the login modules of a realm (a login configuration entry),
 * and what came of it. A realm that cannot be reached is told apart from a wrong password, so that the log can
 * say which; the client gets the same 530 for both.
 *
 * <p>The login modules are loaded through the thread's context class loader, which is set to the system class
 * loader for the call: it sees the JDK's modules ({@code com.sun.security.auth.module.LdapLoginModule}) and, in
 * Karaf, the boot class path's {@code ProxyLoginModule} that stands for every realm a bundle registers.
 */
public final class RealmLogin {

    /** JNDI's LDAP provider reads these from the environment; the JDK's LdapLoginModule passes options on to it. */
    static final String LDAP_CONNECT_TIMEOUT = "com.sun.jndi.ldap.connect.timeout";
    static final String LDAP_READ_TIMEOUT = "com.sun.jndi.ldap.read.timeout";
    private static final String KARAF_JNDI_PREFIX = "context.";

    /** What a login came to. */
    public sealed interface Outcome {
    }

    /** The realm accepted the password; the subject carries the user's principals (and so roles). */
    public record Accepted(Subject subject) implements Outcome {
    }

    /** The realm refused: unknown user, wrong password, account locked or expired. */
    public record Refused(String why) implements Outcome {
    }

    /** The realm could not answer: its directory is unreachable, or it is not configured. */
    public record Unavailable(String why) implements Outcome {
    }

    private RealmLogin() {
    }

    /**
     * Logs in with the realm's modules.
     *
     * @param timeoutMillis given to LDAP modules (as JNDI connect and read timeouts) unless their entry sets its own
     */
    public static Outcome login(Configuration configuration, String realm, String user, char[] password,
            int timeoutMillis) {
        AppConfigurationEntry[] entries = configuration.getAppConfigurationEntry(realm);
        if (entries == null || entries.length == 0) {
            return new Unavailable("no login configuration entry (realm) named '" + realm + "'");
        }
        Configuration bounded = withTimeouts(realm, entries, timeoutMillis);
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        self.setContextClassLoader(ClassLoader.getSystemClassLoader());
        try {
            LoginContext context = new LoginContext(realm, new Subject(), callbacks -> answer(callbacks, user,
                    password), bounded);
            context.login();
            // what the login established, kept; then the modules may let go of what they hold (connections)
            Subject established = new Subject(true, context.getSubject().getPrincipals(), Set.of(), Set.of());
            try {
                context.logout();
            } catch (LoginException ignored) {
                // the login itself succeeded; a module that cannot log out holds nothing Wharf needs
            }
            return new Accepted(established);
        } catch (LoginException e) {
            return classify(e);
        } finally {
            self.setContextClassLoader(before);
        }
    }

    private static void answer(Callback[] callbacks, String user, char[] password)
            throws UnsupportedCallbackException, IOException {
        for (Callback c : callbacks) {
            if (c instanceof NameCallback name) {
                name.setName(user);
            } else if (c instanceof PasswordCallback secret) {
                secret.setPassword(password); // the callback keeps a copy, which the module clears
            } else {
                throw new UnsupportedCallbackException(c, "an FTP login has a name and a password only");
            }
        }
    }

    /** The realm's entries with the JNDI timeouts added where an entry does not set them itself. */
    private static Configuration withTimeouts(String realm, AppConfigurationEntry[] entries, int timeoutMillis) {
        AppConfigurationEntry[] bounded = new AppConfigurationEntry[entries.length];
        for (int i = 0; i < entries.length; i++) {
            Map<String, Object> options = new HashMap<>(entries[i].getOptions());
            for (String key : new String[] {LDAP_CONNECT_TIMEOUT, LDAP_READ_TIMEOUT}) {
                options.putIfAbsent(key, Integer.toString(timeoutMillis));
                // Karaf's LDAPLoginModule passes its options that start with "context." on to JNDI
                options.putIfAbsent(KARAF_JNDI_PREFIX + key, Integer.toString(timeoutMillis));
            }
            bounded[i] = new AppConfigurationEntry(entries[i].getLoginModuleName(), entries[i].getControlFlag(),
                    options);
        }
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return realm.equals(name) ? bounded.clone() : null;
            }
        };
    }

    /**
     * A refusal of the credentials is {@link Refused}, unless it was caused by the directory not answering (the
     * JDK's LdapLoginModule reports an unreachable server as a failed login whose cause is a communication
     * error); anything else is {@link Unavailable}.
     */
    static Outcome classify(LoginException e) {
        String why = describe(e);
        if (unreachable(e)) {
            return new Unavailable(why);
        }
        if (e instanceof FailedLoginException || e instanceof AccountException || e instanceof CredentialException) {
            return new Refused(why);
        }
        return new Unavailable(why);
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.naming.CommunicationException
                    || t instanceof javax.naming.ServiceUnavailableException
                    || t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.net.UnknownHostException || t instanceof java.sql.SQLTransientException) {
                return true;
            }
        }
        return false;
    }

    /** The messages of an exception and its causes, each once: "Cannot bind: 127.0.0.1:389: Connection refused". */
    static String describe(Throwable e) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = e; t != null && parts.size() < 5; t = t.getCause()) {
            String m = t.getMessage();
            // one line: configuration errors of the JDK's come over several
            parts.add(m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip().replaceAll("\\s+", " "));
            if (t.getCause() == t) {
                break;
            }
        }
        return String.join(": ", parts);
    }
}
