package dev.wharf.launcher;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.Test;

/** The launcher's formatter writes exactly what SimpleFormatter writes with the launcher's format. */
public class LogLineFormatterTest {

    private static String simple(LogRecord record) {
        String before = System.getProperty("java.util.logging.SimpleFormatter.format");
        System.setProperty("java.util.logging.SimpleFormatter.format", LogLineFormatter.FORMAT);
        try {
            return new SimpleFormatter().format(record);
        } finally {
            if (before == null) {
                System.clearProperty("java.util.logging.SimpleFormatter.format");
            } else {
                System.setProperty("java.util.logging.SimpleFormatter.format", before);
            }
        }
    }

    private static LogRecord record(Level level, String message, Object[] parameters, Throwable thrown) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("dev.wharf.ftp.audit");
        r.setInstant(Instant.parse("2026-12-02T15:25:35.123Z"));
        r.setParameters(parameters);
        r.setThrown(thrown);
        return r;
    }

    @Test
    public void linesAreThoseOfSimpleFormatter() {
        LogRecord[] records = {
            record(Level.INFO, "login succeeded user='ftpbench' address=127.0.0.1:45698", null, null),
            record(Level.WARNING, "listener ''{0}'' cannot bind {1}", new Object[] {"default", "127.0.0.1:21"}, null),
            record(Level.SEVERE, "cannot read etc/x.cfg", null, new IOException("Permission denied")),
            record(Level.FINE, "", null, null),
        };
        for (LogRecord r : records) {
            assertEquals(simple(r), new LogLineFormatter().format(r));
        }
    }
}
