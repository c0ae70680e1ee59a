package dev.wharf.ftp.api.hook;

import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.UserAccount;

/**
 * A whiteboard service that may refuse what a client asks for: register one and Wharf's listeners call it,
 * synchronously, at login (after the password was verified) and before each file operation, including once an
 * upload is complete but before it is put in place (see {@link FileOperation.Kind#UPLOAD_COMPLETE}).
 *
 * <p>Hooks are called highest {@code service.ranking} first; the first that denies decides, and at login each
 * hook sees the account as the hooks before it left it. A listener's {@code hooks.target} filter selects the hooks
 * it uses (empty: all), and a hook with the service property {@value #LISTENER_PROPERTY} (one name or several) is
 * used only by those listeners. A hook that throws, or does not answer within the listener's
 * {@code hook.timeout}, denies that one operation (the client gets a 4xx reply, the log says which hook); the
 * session goes on. Hooks registered or removed at run time count from the next operation.
 *
 * <p>Methods run on Wharf's worker threads, for many sessions at once: implementations must be thread-safe. The
 * time a hook takes is time the client waits.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface FtpHook {

    /** Service property: the names of the listeners that use this hook (String or String[]); absent: all. */
    String LISTENER_PROPERTY = "wharf.listener";

    /**
     * A user's credentials were verified. Allow, deny with a message, or allow with an adjusted account (a home
     * directory chosen by another system, say; build it with {@link UserAccount#builder(UserAccount)}).
     *
     * @param account the account as the user store (and higher-ranked hooks) made it
     */
    default LoginDecision login(FtpSessionInfo session, UserAccount account) {
        return LoginDecision.allow();
    }

    /** A file operation is about to happen (or, for {@link FileOperation.Kind#UPLOAD_COMPLETE}, to be committed). */
    default Decision check(FileOperation operation) {
        return Decision.allow();
    }
}
