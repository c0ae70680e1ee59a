package dev.wharf.ftp.impl.settings;

import java.util.Locale;

/** Amounts of bytes as configured: a whole number with an optional suffix {@code k}, {@code m} or {@code g} (×1024). */
public final class ByteSize {

    private ByteSize() {
    }

    /**
     * Parses {@code 500}, {@code 64k}, {@code 2m}, {@code 10g} (either case).
     *
     * @throws IllegalArgumentException saying what is allowed
     */
    public static long parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (!t.matches("[0-9]{1,15}[kmg]?")) {
            throw new IllegalArgumentException("not a number of bytes: a whole number, optionally with k, m or g "
                    + "(x1024), such as 512k or 2m");
        }
        char last = t.charAt(t.length() - 1);
        int shift = last == 'k' ? 10 : last == 'm' ? 20 : last == 'g' ? 30 : 0;
        long number = Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1));
        return number << shift;
    }

    /** Like {@link #parse}, but empty text is -1 (unset: someone else's value applies). */
    public static long parseOptional(String text) {
        return text == null || text.isBlank() ? -1 : parse(text);
    }
}
