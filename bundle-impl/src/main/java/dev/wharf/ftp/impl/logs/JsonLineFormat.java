package dev.wharf.ftp.impl.logs;

import dev.wharf.ftp.impl.activity.Activity;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per line with the activity's topic, its time (ISO-8601, UTC) and every property under its
 * event property name: for log shippers that want all of it.
 */
public final class JsonLineFormat implements LineFormat {

    @Override
    public String format(Activity a) {
        StringBuilder b = new StringBuilder(512);
        b.append("{\"topic\":");
        string(b, a.topic());
        b.append(",\"time\":");
        string(b, Instant.ofEpochMilli(a.number("timestamp", System.currentTimeMillis())).toString());
        for (Map.Entry<String, Object> e : a.properties().entrySet()) {
            b.append(',');
            string(b, e.getKey());
            b.append(':');
            Object v = e.getValue();
            if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else {
                string(b, String.valueOf(v));
            }
        }
        return b.append('}').toString();
    }

    /** A JSON string: quotes, backslashes and control characters escaped (RFC 8259 section 7). */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
