package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.data.UserShares;
import dev.wharf.ftp.impl.fs.VirtualFileSystem;

/**
 * Who a session is logging in as, or is logged in as: the name USER gave and the account it found (for the
 * user's own TLS policy and certificate login, before a password is sent), then the account and its view of the
 * disk, and the count of failed attempts.
 */
final class LoginState {

    private String pendingName;
    private UserAccount announcedAccount;
    /** Volatile: operators read who is logged in from other threads. */
    private volatile UserAccount user;
    private VirtualFileSystem files;
    private UserShares.Lease shares;
    private int failures;

    /** USER named an account the stores know without a password (null: none), for its own TLS policy. */
    void announce(UserAccount account) {
        this.announcedAccount = account;
    }

    /** USER was accepted and now waits for PASS. */
    void expectPassword(String name) {
        this.pendingName = name;
    }

    /** A new security state (AUTH) or a refusal: the name given so far counts no longer. */
    void forgetName() {
        pendingName = null;
        announcedAccount = null;
    }

    /** The name given with USER that PASS completes, or null. */
    String pendingName() {
        return pendingName;
    }

    /** The account the last USER named, when a store knew it; null otherwise. */
    UserAccount announcedAccount() {
        return announcedAccount;
    }

    void loggedIn(UserAccount account, VirtualFileSystem view, UserShares.Lease lease) {
        this.user = account;
        this.files = view;
        this.shares = lease;
        this.pendingName = null;
        this.announcedAccount = null;
    }

    boolean isLoggedIn() {
        return user != null;
    }

    UserAccount user() {
        return user;
    }

    /** The logged-in user's view of the disk. */
    VirtualFileSystem files() {
        return files;
    }

    /** The logged-in user's share of bandwidth and quota, or null (no limits). */
    UserShares.Lease shares() {
        return shares;
    }

    /** Gives back the logged-in user's share (logout, or the session's end). */
    void releaseShares() {
        if (shares != null) {
            shares.close();
            shares = null;
        }
    }

    /** Counts a failed attempt; returns how many there have been on this connection. */
    int failed() {
        return ++failures;
    }

    /** REIN: logged out; the count of failures stays, as it belongs to the connection. */
    void logOut() {
        releaseShares();
        user = null;
        files = null;
        pendingName = null;
        announcedAccount = null;
    }
}
