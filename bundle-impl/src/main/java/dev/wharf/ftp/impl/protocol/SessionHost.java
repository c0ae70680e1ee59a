package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.activity.Activities;
import dev.wharf.ftp.impl.auth.PasswordChecks;
import dev.wharf.ftp.impl.data.PassivePorts;
import dev.wharf.ftp.impl.data.StallWatchdog;
import dev.wharf.ftp.impl.data.UserShares;
import dev.wharf.ftp.impl.hooks.HookRunner;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import java.net.InetAddress;
import java.util.Optional;

/** What a session needs from the listener that accepted it. */
public interface SessionHost {

    ListenerSettings settings();

    /** The commands this listener's sessions know. */
    CommandTable commands();

    /**
     * Checks a login on the server's bounded pool of password checks.
     *
     * @param from the client's address, which gets only a share of the pool
     * @throws PasswordChecks.Busy when too many checks are under way: refuse this login at once
     */
    Optional<UserAccount> authenticate(InetAddress from, String user, char[] password) throws PasswordChecks.Busy;

    /** The account of that name without checking a password (see {@link dev.wharf.ftp.api.UserStore#find}). */
    Optional<UserAccount> find(String user);

    /** Whether a store knows the user as disabled: only to tell why a login failed. */
    boolean disabled(String user);

    /** A new session's identifier, unique in this server's run. */
    String nextSessionId();

    /** Where the session reports what happens (events, transfer and audit logs). */
    Activities activities();

    /** The hooks this listener asks before logins and file operations. */
    HookRunner hooks();

    PassivePorts passivePorts();

    /** Runs a transfer on a thread of the server's transfer pool. */
    void runTransfer(String name, Runnable task);

    /** Runs a task that may block (a reply to a slow client, say) on a pooled thread. */
    void runInBackground(String name, Runnable task);

    /** Runs a short, non-blocking task once after a delay on the server's timer. */
    void schedule(Runnable task, long delayMillis);

    /** Breaks data connections that stop making progress. */
    StallWatchdog dataWatchdog();

    /**
     * Records a login against the user's session limits.
     *
     * @return null when admitted, else the reason for refusing it
     */
    String admitLogin(FtpSession session, UserAccount account);

    /** Releases a session's login (REIN): it no longer counts against the user's session limits. */
    void loggedOut(FtpSession session);

    /** What the logins of every listener share per user and per home: bandwidth, quota usage. */
    UserShares userShares();

    /** Reports something the session's client did wrong; the server's defender scores it against its address. */
    void offence(FtpSession session, Offence offence);

    /** A TLS handshake of a session, on its control or a data connection, failed (counted for monitoring). */
    default void tlsHandshakeFailed() {
    }

    /** Called once when a session ends, whatever the reason: releases everything it held. */
    void sessionEnded(FtpSession session);
}
