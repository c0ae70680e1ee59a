package dev.wharf.ftp.impl.settings;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Port sets as passive.ports writes them. */
public class PortRangesTest {

    @Test
    public void parsesRangesAndSinglePortsWithoutDuplicates() {
        PortRanges r = PortRanges.parse("30000-30002, 30010,30001");
        assertEquals(4, r.size());
        assertEquals(30000, r.get(0));
        assertEquals(30010, r.get(3));
        assertTrue(PortRanges.parse("").isAny());
    }

    @Test
    public void namesTheBadPart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortRanges.parse("70000"));
        assertTrue(e.getMessage(), e.getMessage().contains("70000"));
        assertThrows(IllegalArgumentException.class, () -> PortRanges.parse("30010-30000"));
        assertThrows(IllegalArgumentException.class, () -> PortRanges.parse("abc"));
    }

    /**
     * Every unprivileged port, as some configure it: parsed in linear time (it runs on the activation thread). The
     * former list-based de-duplication made ~2*10^9 comparisons of it, seconds of CPU.
     */
    @Test(timeout = 1000)
    public void theWholeUnprivilegedRangeParsesAtOnce() {
        assertEquals(64512, PortRanges.parse("1024-65535").size());
    }
}
