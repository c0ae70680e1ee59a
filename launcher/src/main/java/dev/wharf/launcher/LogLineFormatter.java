package dev.wharf.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The launcher's log line, {@code 2026-12-02 15:25:35 INFO logger: message}, as the JDK's {@code SimpleFormatter}
 * writes it with the format {@value #FORMAT}, but without its cost per line: {@code SimpleFormatter} asks every
 * record for its source class, which makes the JDK walk the logging thread's stack, and parses its format string
 * each time. In the session set-up benchmark (an audit line per login) the two took 2.5% of the server's CPU.
 */
final class LogLineFormatter extends Formatter {

    /** The {@code SimpleFormatter} format this formatter writes. */
    static final String FORMAT = "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160);
        TIME.formatTo(record.getInstant().atZone(ZoneId.systemDefault()), line);
        line.append(' ').append(record.getLevel().getLocalizedName())
                .append(' ').append(record.getLoggerName())
                .append(": ").append(formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter out = new PrintWriter(trace)) {
                out.println();
                record.getThrown().printStackTrace(out);
            }
            line.append(trace);
        }
        return line.append(System.lineSeparator()).toString();
    }
}
