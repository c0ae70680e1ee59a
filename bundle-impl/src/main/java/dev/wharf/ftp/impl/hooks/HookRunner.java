package dev.wharf.ftp.impl.hooks;

import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.hook.Decision;
import dev.wharf.ftp.api.hook.FileOperation;
import dev.wharf.ftp.api.hook.LoginDecision;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Asks a listener's hooks, highest ranking first, whether an operation may go ahead. Each call runs on a pooled
 * thread under the listener's time limit, so a hook that hangs costs one operation its answer (a 451, a failed
 * login) and never the session or the server. With no hook registered nothing is called and nothing waits.
 */
public final class HookRunner {

    private static final Logger LOG = Logger.getLogger(HookRunner.class.getName());
    /** The reply to an operation whose hook failed: 4xx, as the failure is the server's and may pass. */
    static final int FAILED_HOOK_CODE = 451;

    private final Supplier<List<RegisteredHook>> hooks;
    private final Executor executor;
    private final long timeoutMillis;

    /**
     * @param hooks the hooks this listener uses, highest ranking first, as of the moment of the call
     * @param executor where hook calls run (the server's worker pool)
     */
    public HookRunner(Supplier<List<RegisteredHook>> hooks, Executor executor, long timeoutMillis) {
        this.hooks = hooks;
        this.executor = executor;
        this.timeoutMillis = timeoutMillis;
    }

    /** No hooks, ever: for tests and hosts without a registry. */
    public static HookRunner none() {
        return new HookRunner(List::of, Runnable::run, 0);
    }

    /** Whether any hook would be asked right now. */
    public boolean any() {
        return !hooks.get().isEmpty();
    }

    /** The first denial among the hooks, or {@link Decision#allow()}. */
    public Decision check(FileOperation operation) {
        for (RegisteredHook h : hooks.get()) {
            String what = operation.command() + " " + operation.path() + " by '" + operation.user().name() + "' from "
                    + operation.session().remoteAddress().getAddress().getHostAddress();
            Decision d;
            try {
                d = call(h, () -> h.hook().check(operation));
            } catch (HookFailure e) {
                LOG.log(Level.WARNING, "hook " + h.name() + " failed on " + what + ": " + e.getMessage()
                        + "; the operation is refused", e.getCause());
                return Decision.deny(FAILED_HOOK_CODE, "Refused: a server check could not be completed; try again.");
            }
            if (d == null || !d.isAllowed()) {
                LOG.info("hook " + h.name() + " denied " + what + ": " + (d == null ? "(no decision)" : d.message()));
                return d != null ? d : Decision.deny("Refused by a server check.");
            }
        }
        return Decision.allow();
    }

    /**
     * The login decision of the hooks: each sees the account as the ones before it left it; the first denial
     * ends the login.
     */
    public LoginDecision login(FtpSessionInfo session, UserAccount account) {
        UserAccount current = account;
        for (RegisteredHook h : hooks.get()) {
            String who = "login of '" + account.name() + "' from " + session.remoteAddress().getAddress()
                    .getHostAddress();
            UserAccount seen = current;
            LoginDecision d;
            try {
                d = call(h, () -> h.hook().login(session, seen));
            } catch (HookFailure e) {
                LOG.log(Level.WARNING, "hook " + h.name() + " failed on the " + who + ": " + e.getMessage()
                        + "; the login is refused", e.getCause());
                return LoginDecision.deny("Login not possible right now: a server check failed; try again later.");
            }
            if (d == null || !d.isAllowed()) {
                LOG.info("hook " + h.name() + " denied the " + who + ": " + (d == null ? "(no decision)"
                        : d.message()));
                return d != null ? d : LoginDecision.deny("Login refused.");
            }
            if (d.account() != null) {
                if (!d.account().name().equals(account.name())) {
                    LOG.warning("hook " + h.name() + " answered the " + who + " with the account of '"
                            + d.account().name() + "'; a hook may adjust an account, not swap it: login refused");
                    return LoginDecision.deny("Login refused.");
                }
                current = d.account();
            }
        }
        return current == account ? LoginDecision.allow() : LoginDecision.allowAs(current);
    }

    /** A hook that threw or did not answer in time. */
    private static final class HookFailure extends Exception {
        private static final long serialVersionUID = 1L;

        HookFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private <T> T call(RegisteredHook h, Callable<T> body) throws HookFailure {
        FutureTask<T> task = new FutureTask<>(body);
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            throw new HookFailure("the server is stopping", e);
        }
        try {
            return timeoutMillis > 0 ? task.get(timeoutMillis, TimeUnit.MILLISECONDS) : task.get();
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new HookFailure("no answer within " + timeoutMillis / 1000.0 + " s (hook.timeout)", null);
        } catch (ExecutionException e) {
            throw new HookFailure("it threw " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new HookFailure("interrupted while waiting for it", e);
        }
    }
}
