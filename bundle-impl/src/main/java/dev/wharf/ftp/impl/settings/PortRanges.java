package dev.wharf.ftp.impl.settings;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A set of TCP ports written as {@code 30000-30099} or {@code 30000-30010,30020}; empty means "any free port".
 */
public final class PortRanges {

    public static final PortRanges ANY = new PortRanges(new int[0]);

    private final int[] ports;

    private PortRanges(int[] ports) {
        this.ports = ports;
    }

    /** @throws IllegalArgumentException with a message naming the bad part */
    public static PortRanges parse(String text) {
        if (text == null || text.isBlank()) {
            return ANY;
        }
        List<Integer> out = new ArrayList<>();
        BitSet seen = new BitSet(65536); // a list's contains() made 1024-65535 take ~2*10^9 comparisons
        for (String part : text.split("[,;\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            int from = port(dash < 0 ? part : part.substring(0, dash), text);
            int to = dash < 0 ? from : port(part.substring(dash + 1), text);
            if (to < from) {
                throw new IllegalArgumentException("port range '" + part + "' ends before it starts");
            }
            for (int p = from; p <= to; p++) {
                if (!seen.get(p)) {
                    seen.set(p);
                    out.add(p);
                }
            }
        }
        return new PortRanges(out.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int port(String s, String whole) {
        try {
            int p = Integer.parseInt(s.trim());
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " in '" + whole + "' is not between 1 and 65535");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' in '" + whole + "' is not a port number");
        }
    }

    public boolean isAny() {
        return ports.length == 0;
    }

    public int size() {
        return ports.length;
    }

    public int get(int index) {
        return ports[index];
    }
}
