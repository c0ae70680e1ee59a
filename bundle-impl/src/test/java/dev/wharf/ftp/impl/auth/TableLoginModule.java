package dev.wharf.ftp.impl.auth;

import java.security.Principal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

/**
 * A realm for the store's unit tests: users, passwords and roles from its {@code users} option
 * ({@code name:password:role|role;...}); {@code delayMillis} makes it hang like a directory that does not answer.
 * Counts its logins, so a test can tell a remembered login from one the realm checked.
 */
public final class TableLoginModule implements LoginModule {

    public static final AtomicInteger LOGINS = new AtomicInteger();

    /** A role, as Karaf's RolePrincipal names one. */
    record TestRolePrincipal(String getName) implements Principal {
    }

    private Subject subject;
    private CallbackHandler handler;
    private Map<String, ?> options;
    private final Set<Principal> granted = new HashSet<>();

    @Override
    public void initialize(Subject s, CallbackHandler h, Map<String, ?> sharedState, Map<String, ?> o) {
        this.subject = s;
        this.handler = h;
        this.options = o;
    }

    @Override
    public boolean login() throws LoginException {
        LOGINS.incrementAndGet();
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            handler.handle(new Callback[] {name, password});
            Object delay = options.get("delayMillis");
            if (delay != null) {
                Thread.sleep(Long.parseLong(delay.toString()));
            }
        } catch (Exception e) {
            throw (LoginException) new LoginException("callbacks: " + e).initCause(e);
        }
        for (String user : String.valueOf(options.get("users")).split(";")) {
            String[] parts = user.split(":", -1);
            if (parts[0].equals(name.getName()) && Arrays.equals(parts[1].toCharArray(), password.getPassword())) {
                for (String role : parts[2].split("\\|")) {
                    if (!role.isEmpty()) {
                        granted.add(new TestRolePrincipal(role));
                    }
                }
                return true;
            }
        }
        throw new FailedLoginException("unknown user or wrong password");
    }

    @Override
    public boolean commit() {
        subject.getPrincipals().addAll(granted);
        return true;
    }

    @Override
    public boolean abort() {
        granted.clear();
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(granted);
        return true;
    }
}
