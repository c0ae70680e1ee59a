package dev.wharf.ftp.shell;

import dev.wharf.ftp.api.FtpListener;
import java.net.InetSocketAddress;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.BundleContext;

/** wharf:listeners: each listener with its address, TLS, sessions, drain state and problem. */
@Command(scope = "wharf", name = "listeners", description = "Lists the FTP listeners: address, TLS, open sessions.")
@Service
public class ListenersCommand implements Action {

    @Reference
    BundleContext context;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Address");
        table.column("TLS");
        table.column("Sessions");
        table.column("Draining");
        table.column("Problem");
        table.emptyTableText("no listener is configured (etc/dev.wharf.ftp.listener-<name>.cfg)");
        for (FtpListener l : Listeners.all(context)) {
            InetSocketAddress bound = l.boundAddress();
            String problem = l.problem();
            table.addRow().addContent(l.name(),
                    bound == null ? "-" : bound.getAddress().getHostAddress() + ":" + bound.getPort(),
                    l.tlsAvailable() ? "yes" : "no", l.openSessions(), l.draining() ? "yes" : "no",
                    problem == null ? "" : problem);
        }
        table.print(System.out);
        return null;
    }
}
