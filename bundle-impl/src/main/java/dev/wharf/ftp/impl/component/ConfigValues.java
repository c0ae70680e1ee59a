package dev.wharf.ftp.impl.component;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small conversions from configuration values (which may come from a .cfg file as plain strings). */
final class ConfigValues {

    private ConfigValues() {
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    static char[] secret(String value) {
        return value == null || value.isEmpty() ? null : value.toCharArray();
    }

    static Path path(String value) {
        String v = blankToNull(value);
        return v == null ? null : Path.of(v);
    }

    /** A list given either as several values or as one comma-separated string. */
    static List<String> list(String[] values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
        }
        return out;
    }

    /** Parses an enumerated key, naming the key and the allowed values when it does not fit. */
    static <E extends Enum<E>> E choice(String key, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            List<String> allowed = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                allowed.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException("'" + key + "' is '" + value + "'; allowed: " + String.join(", ", allowed));
        }
    }
}
