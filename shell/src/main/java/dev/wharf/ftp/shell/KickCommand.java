package dev.wharf.ftp.shell;

import dev.wharf.ftp.api.FtpListener;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

/** wharf:kick: ends a session, or every session of a user; the client gets 421 and its transfer is aborted. */
@Command(scope = "wharf", name = "kick", description = "Ends an FTP session (or all of a user's with --user): "
        + "the client gets 421, a running transfer is aborted and an upload leaves no partial file.")
@Service
public class KickCommand implements Action {

    @Reference
    BundleContext context;

    @Argument(index = 0, name = "session", description = "The session's id, as wharf:sessions shows it",
            required = false)
    @Completion(SessionIdCompleter.class)
    String sessionId;

    @Option(name = "--user", aliases = "-u", description = "End every session of this user instead")
    @Completion(UserNameCompleter.class)
    String user;

    @Override
    public Object execute() {
        if ((sessionId == null) == (user == null)) {
            System.err.println("Name a session id or --user <name> (one of them).");
            return null;
        }
        if (user != null) {
            int ended = Listeners.all(context).stream().mapToInt(l -> l.endSessionsOf(user)).sum();
            System.out.println(ended == 0 ? "User " + user + " has no open session."
                    : "Ended " + ended + " session" + (ended == 1 ? "" : "s") + " of user " + user + ".");
            return null;
        }
        for (FtpListener l : Listeners.all(context)) {
            if (l.endSession(sessionId)) {
                System.out.println("Ended session " + sessionId + " on listener " + l.name() + ".");
                return null;
            }
        }
        System.err.println("No open session " + sessionId + " (see wharf:sessions).");
        return null;
    }
}
