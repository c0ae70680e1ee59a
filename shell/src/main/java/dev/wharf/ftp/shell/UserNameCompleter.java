package dev.wharf.ftp.shell;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.osgi.service.cm.ConfigurationAdmin;

/** Completes the names of the users configured as dev.wharf.ftp.user. */
@Service
public class UserNameCompleter implements Completer {

    @Reference
    ConfigurationAdmin configAdmin;

    @Override
    public int complete(Session session, CommandLine line, List<String> candidates) {
        return new StringsCompleter(Users.configured(configAdmin).stream().map(Users.User::name).toList())
                .complete(session, line, candidates);
    }
}
