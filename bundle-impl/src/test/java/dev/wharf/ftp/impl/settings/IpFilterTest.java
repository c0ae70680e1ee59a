package dev.wharf.ftp.impl.settings;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import org.junit.Test;

public class IpFilterTest {

    @Test
    public void denyWinsAndAllowRestricts() throws Exception {
        IpFilter f = IpFilter.parse("10.0.0.0/8, 127.0.0.1", "10.9.0.0/16");
        assertTrue(f.accepts(InetAddress.getByName("10.1.2.3")));
        assertFalse(f.accepts(InetAddress.getByName("10.9.1.1")));
        assertTrue(f.accepts(InetAddress.getByName("127.0.0.1")));
        assertFalse(f.accepts(InetAddress.getByName("192.168.1.1")));
        assertFalse(f.accepts(InetAddress.getByName("::1")));
        assertTrue(IpFilter.parse("", "").accepts(InetAddress.getByName("8.8.8.8")));
        assertTrue(IpFilter.parse("::1/128", "").accepts(InetAddress.getByName("::1")));
        assertTrue(IpFilter.parse("10.0.0.0/12", "").accepts(InetAddress.getByName("10.15.255.255")));
        assertFalse(IpFilter.parse("10.0.0.0/12", "").accepts(InetAddress.getByName("10.16.0.0")));
    }

    @Test
    public void refusesNamesAndBadBlocks() {
        assertThrows(IllegalArgumentException.class, () -> IpFilter.parse("example.com", ""));
        assertThrows(IllegalArgumentException.class, () -> IpFilter.parse("10.0.0.0/33", ""));
        assertThrows(IllegalArgumentException.class, () -> IpFilter.parse("", "10.0.0.0/x"));
    }
}
