package dev.wharf.ftp.impl.activity;

import dev.wharf.ftp.api.event.FtpEvents;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Writes every login, successful or not, to the logger category {@value #CATEGORY} at INFO, one line each with
 * the address, so that Pax Logging or java.util.logging can route the audit trail on its own (a file, syslog).
 */
public final class LoginAudit implements ActivitySink {

    public static final String CATEGORY = "dev.wharf.ftp.audit";
    public static final Predicate<String> TOPICS =
            Activities.topics(List.of(FtpEvents.LOGIN_SUCCEEDED, FtpEvents.LOGIN_FAILED));

    private static final Logger AUDIT = Logger.getLogger(CATEGORY);

    @Override
    public void accept(Activity a) {
        boolean ok = a.topic().equals(FtpEvents.LOGIN_SUCCEEDED);
        String tls = a.text(FtpEvents.TLS_PROTOCOL, null);
        AUDIT.info(() -> "login " + (ok ? "succeeded" : "failed") + " user='" + a.text(FtpEvents.USER, "")
                + "' address=" + a.text(FtpEvents.REMOTE_ADDRESS, "?") + ":" + a.text(FtpEvents.REMOTE_PORT, "?")
                + " listener=" + a.text(FtpEvents.LISTENER, "?") + " session=" + a.text(FtpEvents.SESSION_ID, "?")
                + (ok ? " authentication=" + a.text(FtpEvents.AUTHENTICATION, "password")
                        : " reason=" + a.text(FtpEvents.REASON, "?"))
                + " tls=" + (tls == null ? "none" : tls + "/" + a.text(FtpEvents.TLS_CIPHER, "?")));
    }
}
