package dev.wharf.ftp.impl.logs;

import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.impl.activity.Activity;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The wu-ftpd/vsftpd {@code xferlog} line (see xferlog(5)), so that existing parsers and report tools read it:
 * {@code current-time transfer-time remote-host file-size filename transfer-type special-action-flag direction
 * access-mode username service-name authentication-method authenticated-user-id completion-status}.
 *
 * <p>current-time is local time in ctime form; transfer-time whole seconds, at least 1 (report tools divide by
 * it); file-size the bytes moved; filename the path on disk, with white space and control characters replaced by
 * {@code _} (as ProFTPD does) so every line has the same fields; direction {@code o} (download), {@code i}
 * (upload) or {@code d} (delete); access-mode {@code a} for anonymous users, {@code r} otherwise; completion-status
 * {@code c} (complete) or {@code i} (incomplete: failed or aborted).
 */
public final class XferlogFormat implements LineFormat {

    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
            Locale.ROOT);

    private final ZoneId zone;

    public XferlogFormat(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String format(Activity a) {
        char direction = switch (a.operation()) {
            case "download" -> 'o';
            case "upload" -> 'i';
            case "delete" -> 'd';
            default -> '\0';
        };
        if (direction == '\0') {
            return null;
        }
        boolean complete = FtpEvents.RESULT_COMPLETED.equals(a.get(FtpEvents.RESULT));
        if (direction == 'd' ? !complete : a.get(FtpEvents.BYTES) == null) {
            return null; // a delete that did not happen, a transfer refused before its data connection opened
        }
        long millis = a.number(FtpEvents.DURATION, 0);
        long seconds = Math.max(1, (millis + 500) / 1000);
        // every anonymous session shares the account "anonymous" (see the listener's anonymous key)
        boolean anonymous = "anonymous".equals(a.get(FtpEvents.USER));
        return CTIME.format(Instant.ofEpochMilli(a.number(FtpEvents.TIMESTAMP, System.currentTimeMillis()))
                .atZone(zone))
                + ' ' + seconds
                + ' ' + a.text(FtpEvents.REMOTE_ADDRESS, "-")
                + ' ' + a.number(FtpEvents.BYTES, 0)
                + ' ' + field(a.text(FtpEvents.REAL_PATH, a.text(FtpEvents.PATH, "-")))
                + ' ' + ("ascii".equals(a.get(FtpEvents.TRANSFER_TYPE)) ? 'a' : 'b')
                + " _ " + direction
                + ' ' + (anonymous ? 'a' : 'r')
                + ' ' + field(a.text(FtpEvents.USER, "-"))
                + " ftp 0 * "
                + (complete ? 'c' : 'i');
    }

    /** A value as one field: white space and control characters become {@code _}. */
    static String field(String value) {
        if (value.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            b.append(Character.isWhitespace(c) || Character.isISOControl(c) ? '_' : c);
        }
        return b.toString();
    }
}
