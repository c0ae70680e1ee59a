package dev.wharf.ftp.shell;

import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.FtpTransferInfo;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.BundleContext;

/** wharf:sessions: who is connected, since when, idle how long, over which TLS, transferring what. */
@Command(scope = "wharf", name = "sessions",
        description = "Lists the open FTP sessions: user, address, TLS, idle time and the running transfer.")
@Service
public class SessionsCommand implements Action {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Reference
    BundleContext context;

    @Option(name = "--listener", aliases = "-l", description = "Only the sessions of this listener")
    @Completion(ListenerNameCompleter.class)
    String listener;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Listener");
        table.column("User");
        table.column("Address");
        table.column("Since");
        table.column("Idle");
        table.column("TLS");
        table.column("Transfer");
        table.emptyTableText("no open sessions");
        for (Listeners.Session s : Listeners.sessions(context, listener)) {
            FtpSessionInfo info = s.info();
            table.addRow().addContent(info.id(), s.listener().name(),
                    info.userName() == null ? "-" : info.userName(),
                    info.remoteAddress().getAddress().getHostAddress() + ":" + info.remoteAddress().getPort(),
                    TIME.format(info.openedAt()), seconds(info.idleTime()),
                    info.tlsProtocol() == null ? "-" : info.tlsProtocol(), transfer(info.transfer()));
        }
        table.print(System.out);
        return null;
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    /** e.g. "download /big.bin 12.5 MB, 40.1 MB/s". */
    static String transfer(FtpTransferInfo t) {
        if (t == null) {
            return "-";
        }
        return t.direction().name().toLowerCase(java.util.Locale.ROOT) + " " + t.path() + " " + bytes(t.bytes())
                + ", " + bytes(t.bytesPerSecond()) + "/s";
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[unit]);
    }
}
