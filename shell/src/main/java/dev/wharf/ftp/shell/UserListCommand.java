package dev.wharf.ftp.shell;

import dev.wharf.ftp.api.FtpListener;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/** wharf:user-list: the configured users, their homes and rights and open sessions; never a password. */
@Command(scope = "wharf", name = "user-list", description = "Lists the FTP users configured as dev.wharf.ftp.user.")
@Service
public class UserListCommand implements Action {

    @Reference
    BundleContext context;

    @Reference
    ConfigurationAdmin configAdmin;

    @Override
    public Object execute() {
        List<FtpListener> listeners = Listeners.all(context);
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Home");
        table.column("Write");
        table.column("Enabled");
        table.column("Sessions");
        table.emptyTableText("no users (wharf:user-add <name>)");
        for (Users.User u : Users.configured(configAdmin)) {
            long sessions = listeners.stream().flatMap(l -> l.sessions().stream())
                    .filter(s -> u.name().equals(s.userName())).count();
            table.addRow().addContent(u.name(), u.home(), u.write() ? "yes" : "no", u.enabled() ? "yes" : "no",
                    sessions);
        }
        table.print(System.out);
        return null;
    }
}
