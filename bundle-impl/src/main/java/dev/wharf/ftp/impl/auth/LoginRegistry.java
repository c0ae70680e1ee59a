package dev.wharf.ftp.impl.auth;

import dev.wharf.ftp.api.UserAccount;
import java.util.HashMap;
import java.util.Map;

/**
 * The logged-in sessions of every listener of one server, so that a user's session limits ({@code max.sessions},
 * {@code max.sessions.per.ip}) count them all. Owned by the server runtime; sessions are identified by any object.
 */
public final class LoginRegistry {

    private record Login(String user, String address) {
    }

    private final Map<Object, Login> logins = new HashMap<>();

    /**
     * Records a login unless it would exceed the account's session limits.
     *
     * @param address the client's address, as text
     * @return null when admitted, else the reason for refusing it (for a 530 reply)
     */
    public synchronized String admit(Object session, UserAccount account, String address) {
        int sameUser = 0;
        int sameUserHere = 0;
        for (Login login : logins.values()) {
            if (login.user().equals(account.name())) {
                sameUser++;
                if (login.address().equals(address)) {
                    sameUserHere++;
                }
            }
        }
        if (account.maxSessions() > 0 && sameUser >= account.maxSessions()) {
            return "Too many sessions for user " + account.name() + ".";
        }
        if (account.maxSessionsPerIp() > 0 && sameUserHere >= account.maxSessionsPerIp()) {
            return "Too many sessions for user " + account.name() + " from your address.";
        }
        logins.put(session, new Login(account.name(), address));
        return null;
    }

    /** Forgets a session's login (logout, REIN or the end of the session); nothing happens if it had none. */
    public synchronized void release(Object session) {
        logins.remove(session);
    }

    /** The number of logged-in sessions. */
    public synchronized int size() {
        return logins.size();
    }
}
