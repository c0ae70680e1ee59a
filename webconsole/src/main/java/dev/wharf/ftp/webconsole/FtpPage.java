package dev.wharf.ftp.webconsole;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.FtpTransferInfo;
import dev.wharf.ftp.api.SslConfiguration;
import dev.wharf.ftp.api.TlsSettings;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The HTML of the FTP page, from what the listeners and SSL configurations say now: listeners with their ports
 * and TLS state, live sessions each with a kick button, and each SSL configuration's certificate with its expiry.
 * Every value from outside (user names, paths, subjects) is escaped.
 */
final class FtpPage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** Certificates expiring within this many days are shown as a warning (the default expiry.warning.days). */
    private static final long WARNING_DAYS = 30;

    private final StringBuilder html = new StringBuilder();
    private final Instant now;

    private FtpPage(Instant now) {
        this.now = now;
    }

    /**
     * @param kickToken the form token a kick must carry back (against cross-site requests)
     * @param message a line to show on top (the result of the last kick), or null
     */
    static String render(List<FtpListener> listeners, List<SslConfiguration> tls, String kickToken, String message,
            Instant now) {
        FtpPage page = new FtpPage(now);
        if (message != null) {
            page.html.append("<p class='statline ui-state-highlight' id='wharf-message'>").append(escape(message))
                    .append("</p>\n");
        }
        page.listeners(listeners);
        page.sessions(listeners, kickToken);
        page.certificates(tls);
        return page.html.toString();
    }

    private void listeners(List<FtpListener> listeners) {
        table("Listeners", "wharf-listeners", List.of("Name", "Address", "TLS", "Sessions", "Draining", "Problem"));
        for (FtpListener l : sorted(listeners)) {
            InetSocketAddress a = l.boundAddress();
            row(l.name(), a == null ? "not accepting" : a.getAddress().getHostAddress() + ":" + a.getPort(),
                    l.tlsAvailable() ? "available" : "none", Integer.toString(l.openSessions()),
                    l.draining() ? "yes" : "no", l.problem() == null ? "" : l.problem());
        }
        if (listeners.isEmpty()) {
            empty(6, "No listener is configured.");
        }
        endTable();
    }

    private void sessions(List<FtpListener> listeners, String kickToken) {
        table("Sessions", "wharf-sessions", List.of("Id", "Listener", "User", "Address", "Since", "Idle", "TLS",
                "Transfer", ""));
        int count = 0;
        for (FtpListener l : sorted(listeners)) {
            for (FtpSessionInfo s : l.sessions()) {
                count++;
                InetSocketAddress r = s.remoteAddress();
                html.append("<tr class='wharf-session' data-session='").append(escape(s.id())).append("'>");
                cells(s.id(), l.name(), s.userName() == null ? "(not logged in)" : s.userName(),
                        r.getAddress().getHostAddress() + ":" + r.getPort(), TIME.format(s.openedAt()),
                        s.idleTime().toSeconds() + " s", s.tlsProtocol() == null ? "none" : s.tlsProtocol() + " "
                                + s.tlsCipher(), transfer(s.transfer()));
                html.append("<td><form method='post' action=''>")
                        .append("<input type='hidden' name='action' value='kick'/>")
                        .append("<input type='hidden' name='token' value='").append(escape(kickToken)).append("'/>")
                        .append("<input type='hidden' name='session' value='").append(escape(s.id())).append("'/>")
                        .append("<button type='submit' class='wharf-kick'>Kick</button></form></td></tr>\n");
            }
        }
        if (count == 0) {
            empty(9, "No open sessions.");
        }
        endTable();
    }

    private void certificates(List<SslConfiguration> configurations) {
        table("Certificates", "wharf-certificates", List.of("SSL configuration", "Subject", "Expires", "Days left",
                "Problem"));
        for (SslConfiguration c : configurations.stream().sorted(Comparator.comparing(SslConfiguration::name))
                .toList()) {
            TlsSettings settings = c.current();
            X509Certificate cert = settings == null ? null : settings.certificate();
            if (cert == null) {
                row(c.name(), "", "", "", c.problem() == null ? "" : c.problem());
                continue;
            }
            Instant notAfter = cert.getNotAfter().toInstant();
            long days = Duration.between(now, notAfter).toDays();
            html.append(days < WARNING_DAYS ? "<tr class='wharf-expiring ui-state-error'>" : "<tr>");
            cells(c.name(), cert.getSubjectX500Principal().getName(), TIME.format(notAfter), Long.toString(days),
                    c.problem() == null ? "" : c.problem());
            html.append("</tr>\n");
        }
        if (configurations.isEmpty()) {
            empty(5, "No SSL configuration.");
        }
        endTable();
    }

    static String transfer(FtpTransferInfo t) {
        if (t == null) {
            return "";
        }
        return t.direction().name().toLowerCase(Locale.ROOT) + " " + t.path() + ": " + t.bytes() + " bytes, "
                + t.bytesPerSecond() / 1024 + " KiB/s";
    }

    private static List<FtpListener> sorted(List<FtpListener> listeners) {
        return listeners.stream().sorted(Comparator.comparing(FtpListener::name)).toList();
    }

    private void table(String title, String id, List<String> headers) {
        html.append("<h2>").append(title).append("</h2>\n<table class='nicetable' id='").append(id)
                .append("'><thead><tr>");
        headers.forEach(h -> html.append("<th>").append(h).append("</th>"));
        html.append("</tr></thead><tbody>\n");
    }

    private void row(String... values) {
        html.append("<tr>");
        cells(values);
        html.append("</tr>\n");
    }

    private void cells(String... values) {
        for (String v : values) {
            html.append("<td>").append(escape(v)).append("</td>");
        }
    }

    private void empty(int columns, String text) {
        html.append("<tr><td colspan='").append(columns).append("'>").append(text).append("</td></tr>\n");
    }

    private void endTable() {
        html.append("</tbody></table>\n");
    }

    /** Text as HTML text or attribute value. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
