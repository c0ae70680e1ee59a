package dev.wharf.ftp.impl.protocol;

import static dev.wharf.ftp.impl.protocol.CommandSpec.command;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.api.hook.LoginDecision;
import dev.wharf.ftp.impl.activity.Activity;
import dev.wharf.ftp.impl.auth.PasswordChecks;
import dev.wharf.ftp.impl.data.UserShares;
import dev.wharf.ftp.impl.fs.AccessRules;
import dev.wharf.ftp.impl.fs.HomeDirectory;
import dev.wharf.ftp.impl.fs.VirtualFileSystem;
import dev.wharf.ftp.impl.settings.Limits;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/** Login and logout: USER, PASS, ACCT, QUIT, REIN, HOST. */
final class AccessCommands {

    private static final Logger LOG = Logger.getLogger(AccessCommands.class.getName());

    private AccessCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(
                command("USER").syntax("USER <name>").handledBy(AccessCommands::user),
                command("PASS").syntax("PASS <password>").flag(CommandSpec.Flag.SENSITIVE_ARGUMENT)
                        .handledBy(AccessCommands::pass),
                command("ACCT").syntax("ACCT <account> (not needed)")
                        .handledBy((s, a) -> s.reply(202, "No account needed.")),
                command("QUIT").handledBy(AccessCommands::quit),
                command("REIN").syntax("REIN (log out, keep the connection)").handledBy(AccessCommands::rein),
                command("HOST").syntax("HOST <host name> (before USER)").feature("HOST")
                        .handledBy(AccessCommands::host));
    }

    static void user(FtpSession s, String name) throws IOException {
        LoginState login = s.login();
        if (login.isLoggedIn()) {
            s.reply(530, "Already logged in; cannot change to another user.");
            return;
        }
        if (name.isBlank()) {
            s.reply(501, "USER needs a user name.");
            return;
        }
        login.forgetName();
        boolean anonymous = AnonymousLogin.applies(s, name);
        login.announce(anonymous ? null : s.host.find(name).orElse(null));
        if (s.tlsRequirement() != TlsRequirement.NONE && !s.control.secure()) {
            login.forgetName();
            s.reply(530, "TLS is required: use AUTH TLS before logging in.");
            reportFailure(s, name, FtpEvents.REASON_TLS_REQUIRED);
            return;
        }
        if (anonymous) {
            login.expectPassword(name);
            s.reply(331, "Anonymous login ok; send your e-mail address as the password.");
            return;
        }
        UserAccount account = login.announcedAccount();
        if (account != null && account.certificateLogin() == UserAccount.CertificateLogin.CERTIFICATE
                && certificateMatches(s, account)) {
            LOG.fine(() -> "user '" + name + "' authenticated by client certificate from " + s.clientAddress());
            loggedIn(s, account, AccessRules.FULL, "User " + name + " logged in by client certificate.",
                    "certificate");
            return;
        }
        login.expectPassword(name);
        s.reply(331, "Password required for " + name + ".");
    }

    static void pass(FtpSession s, String password) throws IOException {
        LoginState login = s.login();
        if (login.isLoggedIn()) {
            s.reply(230, "Already logged in.");
            return;
        }
        String name = login.pendingName();
        if (name == null) {
            s.reply(503, "Send USER first.");
            return;
        }
        login.expectPassword(null);
        if (AnonymousLogin.applies(s, name)) {
            AnonymousLogin.login(s, password);
            return;
        }
        char[] secret = password.toCharArray();
        Optional<UserAccount> account;
        try {
            account = s.host.authenticate(s.control.remoteAddress(), name, secret);
        } catch (PasswordChecks.Busy busy) {
            s.reply(421, "Too many logins at once; try again later."); // logged, in sum, by PasswordChecks
            reportFailure(s, name, FtpEvents.REASON_BUSY);
            s.end(null);
            return;
        } finally {
            Arrays.fill(secret, '\0');
        }
        if (account.isEmpty()) {
            loginFailed(s, name, login.announcedAccount() != null ? FtpEvents.REASON_WRONG_PASSWORD
                    : s.host.disabled(name) ? FtpEvents.REASON_DISABLED : FtpEvents.REASON_UNKNOWN_USER);
            return;
        }
        UserAccount a = account.get();
        if (a.tlsRequired() != TlsRequirement.NONE && !s.control.secure()) {
            // a store that cannot look users up without a password: its TLS requirement shows only now
            LOG.info(() -> "user '" + name + "' from " + s.clientAddress() + " refused: the account requires TLS");
            s.reply(530, "TLS is required for this user: use AUTH TLS before logging in.");
            reportFailure(s, name, FtpEvents.REASON_TLS_REQUIRED);
            return;
        }
        if (a.certificateSubject() != null
                && a.certificateLogin() == UserAccount.CertificateLogin.CERTIFICATE_AND_PASSWORD
                && !certificateMatches(s, a)) {
            LOG.info(() -> "user '" + name + "' from " + s.clientAddress()
                    + " refused: the password was right but the required client certificate is missing or another");
            loginFailed(s, name, FtpEvents.REASON_CERTIFICATE);
            return;
        }
        loggedIn(s, a, AccessRules.FULL, "User " + name + " logged in.", "password");
    }

    /** Whether the control connection carries a verified client certificate with the user's subject. */
    private static boolean certificateMatches(FtpSession s, UserAccount account) {
        X509Certificate peer = s.control.peerCertificate();
        return account.certificateSubject() != null && peer != null
                && account.certificateSubject().equals(peer.getSubjectX500Principal());
    }

    /**
     * The credentials were right: the hooks may still refuse or adjust the account, then the home must be usable
     * and the session limits allow it.
     *
     * @param rules what the user may change in the home, beyond the account's write flag
     * @param authentication how the user proved who they are, for the report
     * @return whether the session is now logged in (otherwise the client got 530)
     */
    static boolean loggedIn(FtpSession s, UserAccount verified, AccessRules rules, String message,
            String authentication) throws IOException {
        UserAccount a = verified;
        if (s.host.hooks().any()) {
            LoginDecision d = s.host.hooks().login(s, verified);
            if (!d.isAllowed()) {
                s.reply(530, d.message());
                reportFailure(s, verified.name(), FtpEvents.REASON_HOOK);
                return false;
            }
            if (d.account() != null) {
                a = d.account();
            }
        }
        if (!UserAddresses.admits(a, s.remoteAddress().getAddress())) {
            // The same reply as a wrong password: a client at a refused address learns nothing about the account.
            loginFailed(s, a.name(), FtpEvents.REASON_ADDRESS);
            return false;
        }
        VirtualFileSystem view;
        UserShares.Lease shares;
        Optional<String> homeProblem = HomeDirectory.check(a, "login from " + s.clientAddress());
        try {
            if (homeProblem.isPresent()) {
                throw new IOException(homeProblem.get());
            }
            shares = s.host.userShares().join(a, s.host.settings().userDefaults());
        } catch (IOException e) {
            LOG.severe(e.getMessage());
            s.reply(530, "Login failed: the home directory is not available.");
            reportFailure(s, a.name(), FtpEvents.REASON_HOME);
            return false;
        }
        try {
            view = new VirtualFileSystem(a.home(), rules, shares.quota(), shares.modes());
        } catch (IOException e) {
            shares.close();
            LOG.severe("user '" + a.name() + "': home directory " + a.home() + " cannot be used: " + e.getMessage());
            s.reply(530, "Login failed: the home directory is not available.");
            reportFailure(s, a.name(), FtpEvents.REASON_HOME);
            return false;
        }
        String refusal = s.host.admitLogin(s, a);
        if (refusal != null) {
            shares.close();
            s.reply(530, refusal);
            reportFailure(s, a.name(), FtpEvents.REASON_LIMITS);
            return false;
        }
        s.loggedIn(a, view, shares);
        LOG.fine(() -> "user '" + verified.name() + "' logged in from " + s.clientAddress());
        s.reply(230, message);
        s.host.activities().report(FtpEvents.LOGIN_SUCCEEDED, () -> Activity.of(FtpEvents.LOGIN_SUCCEEDED, s)
                .put(FtpEvents.RESULT, FtpEvents.RESULT_SUCCEEDED)
                .put(FtpEvents.AUTHENTICATION, authentication)
                .put(FtpEvents.REPLY_CODE, 230)
                .build());
        return true;
    }

    /** Reports a refused login (the audit log, events); the reply was sent. */
    private static void reportFailure(FtpSession s, String name, String reason) {
        s.host.activities().report(FtpEvents.LOGIN_FAILED, () -> Activity.of(FtpEvents.LOGIN_FAILED, s)
                .put(FtpEvents.USER, name)
                .put(FtpEvents.RESULT, FtpEvents.RESULT_FAILED)
                .put(FtpEvents.REASON, reason)
                .build());
    }

    private static void loginFailed(FtpSession s, String name, String reason) throws IOException {
        int failures = s.login().failed();
        Limits limits = s.host.settings().limits();
        LOG.fine(() -> "login failed for user '" + name + "' from " + s.clientAddress() + " (attempt " + failures
                + ", " + reason + ")");
        reportFailure(s, name, reason);
        try {
            Thread.sleep(limits.loginFailureDelayMillis()); // slows password guessing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (limits.maxLoginFailures() > 0 && failures >= limits.maxLoginFailures()) {
            s.end("421 Too many failed logins; closing the connection.\r\n");
            return;
        }
        s.reply(530, "Login incorrect.");
    }

    static void rein(FtpSession s, String argument) throws IOException {
        s.reinitialize();
        s.reply(220, "Session reinitialized; log in again.");
    }

    /**
     * RFC 7151: every host name leads to the same configuration here, so any name is accepted, but only before
     * login, as the RFC requires.
     */
    static void host(FtpSession s, String argument) throws IOException {
        if (s.login().isLoggedIn() || s.login().pendingName() != null) {
            s.reply(503, "HOST must come before USER.");
            return;
        }
        if (argument.isBlank()) {
            s.reply(501, "HOST needs a host name.");
            return;
        }
        s.reply(220, "Host accepted.");
    }

    static void quit(FtpSession s, String argument) throws IOException {
        s.reply(221, "Goodbye.");
        s.end(null);
    }
}
