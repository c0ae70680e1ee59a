package dev.wharf.ftp.impl.component;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one configuration (the raw dictionary ConfigAdmin hands a component) against its MetaType annotation,
 * which names every key and its default. Each typed read checks the value; a value that does not fit is recorded
 * as a problem, one line naming the file, the key, the value and what is allowed, and the key's default is
 * returned so that reading can go on and report every mistake at once. Keys the annotation does not know are
 * reported separately, with the closest known key, because a misspelt security key would otherwise be silently
 * ignored.
 *
 * <p>SCR's own conversion to the annotation type is not used: it turns {@code port = abc} into a stack trace
 * that names neither the file nor the key, and {@code implicit.ssl = yes} silently into {@code false}.
 */
final class ConfigReader {

    /**
     * Keys that ConfigAdmin, FileInstall, SCR (DS 1.5 adds its satisfying condition's target) or the Web Console
     * put into any configuration.
     */
    private static final Set<String> FRAMEWORK_KEYS = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", CfgFile.FILENAME, "component.name", "component.id",
            "service.ranking", "service.description", "service.vendor", "osgi.ds.satisfying.condition.target");

    private final Map<String, Object> values;
    private final Map<String, Method> schema = new LinkedHashMap<>();
    private final Set<String> extraKeys;
    private final List<String> problems = new ArrayList<>();
    private final String source;

    /**
     * @param schema the component's MetaType annotation: its elements are the keys (in DS naming: {@code _} is
     *     {@code .}) and their defaults
     * @param properties the configuration as ConfigAdmin gives it
     * @param extraKeys further keys this component accepts (e.g. reference targets)
     */
    ConfigReader(Class<?> schema, Map<String, ?> properties, String... extraKeys) {
        this.values = new LinkedHashMap<>(properties);
        for (Method m : schema.getDeclaredMethods()) {
            this.schema.put(keyOf(m.getName()), m);
        }
        this.extraKeys = Set.of(extraKeys);
        this.source = source(properties);
    }

    /** The OSGi DS mapping from an element name to a property key ({@code idle_timeout} is {@code idle.timeout}). */
    static String keyOf(String element) {
        return element.replace("$_$", "-").replace("$$", "\u0000").replace("$", "").replace("\u0000", "$")
                .replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }

    /**
     * The configuration's own values, without the keys the framework adds (its PID, FileInstall's file name) and
     * private ones, arrays as lists: equal maps mean nothing a component reads has changed.
     */
    static Map<String, Object> ownValues(Map<String, ?> properties) {
        Map<String, Object> out = new java.util.TreeMap<>();
        properties.forEach((key, value) -> {
            if (!FRAMEWORK_KEYS.contains(key) && !key.startsWith(".")) {
                boolean array = value != null && value.getClass().isArray();
                out.put(key, array ? List.of(shown(value).split(",", -1)) : value);
            }
        });
        return out;
    }

    /** Where this configuration comes from: its file when FileInstall read one, else its PID. */
    static String source(Map<String, ?> properties) {
        Object file = properties.get(CfgFile.FILENAME);
        if (file != null) {
            try {
                return Path.of(URI.create(file.toString())).toString();
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                return file.toString();
            }
        }
        Object pid = properties.get("service.pid");
        return "configuration " + (pid != null ? pid : "(no PID)");
    }

    String source() {
        return source;
    }

    /** Every value that did not fit, one line each; empty when the configuration can be used. */
    List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** Records a problem found by the component itself (e.g. a key that depends on another). */
    void problem(String key, String message) {
        problems.add(source + ": '" + key + "' " + message);
    }

    /** Keys this configuration has that the schema does not know, each with a hint. */
    List<String> unknownKeys() {
        List<String> out = new ArrayList<>();
        for (String key : new TreeSet<>(values.keySet())) {
            if (schema.containsKey(key) || extraKeys.contains(key) || FRAMEWORK_KEYS.contains(key)
                    || key.startsWith(".")) {
                continue;
            }
            String closest = closest(key);
            out.add(source + ": unknown key '" + key + "' is ignored"
                    + (closest != null ? "; did you mean '" + closest + "'?" : "; known keys: "
                            + String.join(", ", new TreeSet<>(schema.keySet()))));
        }
        return out;
    }

    private String closest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : schema.keySet()) {
            int d = distance(key.toLowerCase(Locale.ROOT), known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    /** Damerau-Levenshtein (optimal string alignment) distance: swapped letters count once. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private Method element(String key) {
        Method m = schema.get(key);
        if (m == null) {
            throw new IllegalArgumentException("no key '" + key + "' in " + schema.keySet()); // a bug, not input
        }
        return m;
    }

    /** The raw value, or null when the configuration does not set the key. */
    private Object raw(String key) {
        element(key);
        return values.get(key);
    }

    private Object defaultOf(String key) {
        return element(key).getDefaultValue();
    }

    /** A configuration value as a .cfg file writes it: arrays and collections comma-separated. */
    static String shown(Object value) {
        if (value != null && value.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                parts.add(String.valueOf(Array.get(value, i)));
            }
            return String.join(",", parts);
        }
        if (value instanceof Collection<?> c) {
            return String.join(",", c.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    /** A text value, trimmed; the default (or null without one) when unset. */
    String text(String key) {
        Object v = raw(key);
        if (v == null) {
            Object d = defaultOf(key);
            return d == null ? null : d.toString();
        }
        return shown(v).trim();
    }

    /** A text value, or null when unset or blank. */
    String optionalText(String key) {
        String v = text(key);
        return v == null || v.isBlank() ? null : v;
    }

    /** A secret, or null when unset or empty (not trimmed: spaces may be part of a password). */
    char[] secret(String key) {
        Object v = raw(key);
        String s = v == null ? (String) defaultOf(key) : shown(v);
        return s == null || s.isEmpty() ? null : s.toCharArray();
    }

    /** An absolute file system path, or null when unset. */
    Path path(String key) {
        String v = optionalText(key);
        if (v == null) {
            return null;
        }
        try {
            Path p = Path.of(v);
            if (!p.isAbsolute()) {
                problem(key, "is '" + v + "', not an absolute path");
                return null;
            }
            return p;
        } catch (InvalidPathException e) {
            problem(key, "is '" + v + "', not a usable path: " + e.getReason());
            return null;
        }
    }

    /** A whole number from {@code min} to {@code max}. */
    int integer(String key, int min, int max) {
        Object v = raw(key);
        int fallback = (Integer) defaultOf(key);
        if (v == null) {
            return fallback;
        }
        long n;
        if (v instanceof Number number && !(v instanceof Double || v instanceof Float)) {
            n = number.longValue();
        } else {
            try {
                n = Long.parseLong(shown(v).trim());
            } catch (NumberFormatException e) {
                problem(key, "is '" + shown(v) + "', not a whole number" + range(min, max));
                return fallback;
            }
        }
        if (n < min || n > max) {
            problem(key, "is " + n + ", not" + range(min, max).replace(" from", " a number from"));
            return fallback;
        }
        return (int) n;
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? " of at least " + min : " from " + min + " to " + max;
    }

    /** {@code true} or {@code false}, in any case. */
    boolean bool(String key) {
        Object v = raw(key);
        boolean fallback = (Boolean) defaultOf(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = shown(v).trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        problem(key, "is '" + s + "'; allowed: true, false");
        return fallback;
    }

    /**
     * One of an enumeration's constants, written in lower case with {@code -} for {@code _}
     * ({@code certificate-and-password}).
     */
    <E extends Enum<E>> E choice(String key, Class<E> type) {
        String v = text(key);
        for (E c : type.getEnumConstants()) {
            if (label(c).equalsIgnoreCase(v == null ? "" : v.replace('_', '-'))) {
                return c;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
            allowed.add(label(c));
        }
        problem(key, "is '" + v + "'; allowed: " + String.join(", ", allowed));
        String fallback = (String) defaultOf(key);
        for (E c : type.getEnumConstants()) {
            if (label(c).equalsIgnoreCase(fallback.replace('_', '-'))) {
                return c;
            }
        }
        return type.getEnumConstants()[0];
    }

    static String label(Enum<?> c) {
        return c.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A list given as several values or as one comma-separated text; blanks dropped. */
    List<String> list(String key) {
        Object v = raw(key);
        if (v == null) {
            v = defaultOf(key);
        }
        List<String> items = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            c.forEach(e -> items.add(String.valueOf(e)));
        } else if (v != null && v.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(v); i++) {
                items.add(String.valueOf(Array.get(v, i)));
            }
        } else if (v != null) {
            items.add(v.toString());
        }
        List<String> out = new ArrayList<>();
        for (String item : items) {
            for (String part : item.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /**
     * Parses a value with a parser that throws {@link IllegalArgumentException} for bad input, recording its
     * message as this key's problem.
     */
    <T> T parsed(String key, java.util.function.Function<String, T> parser, T fallback) {
        String v = text(key);
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            problem(key, "is '" + v + "': " + e.getMessage());
            return fallback;
        }
    }
}
