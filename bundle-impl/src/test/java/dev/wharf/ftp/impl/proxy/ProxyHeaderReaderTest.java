package dev.wharf.ftp.impl.proxy;

import static dev.wharf.ftp.impl.proxy.HeaderBytes.at;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.impl.settings.ProxyProtocol;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.Test;

/** The PROXY header parser against the specification's forms, and what it must refuse. */
public class ProxyHeaderReaderTest {

    private static final byte[] AFTER = "USER alice\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    public void readsV1ForIpv4AndIpv6AndLeavesWhatFollows() throws IOException {
        InputStream in = stream(HeaderBytes.v1(at("127.0.0.5", 40000), at("127.0.0.1", 2121)), AFTER);
        ProxyHeader h = ProxyHeaderReader.read(in, ProxyProtocol.V1);
        assertEquals(at("127.0.0.5", 40000), h.source());
        assertEquals(at("127.0.0.1", 2121), h.destination());
        assertEquals("v1 PROXY TCP4", h.kind());
        assertArrayEquals("the bytes after the header stay unread", AFTER, in.readAllBytes());

        h = ProxyHeaderReader.read(stream("PROXY TCP6 2001:db8::1 ::1 65535 21\r\n".getBytes()), ProxyProtocol.V1);
        assertEquals(at("2001:db8::1", 65535), h.source());
        assertEquals(21, h.destination().getPort());
    }

    @Test
    public void v1UnknownCarriesNoAddresses() throws IOException {
        ProxyHeader h = ProxyHeaderReader.read(stream("PROXY UNKNOWN ignored rest\r\n".getBytes()), ProxyProtocol.V1);
        assertFalse(h.hasAddresses());
        assertEquals(at("10.0.0.1", 5), h.clientOr(at("10.0.0.1", 5)));
        assertFalse(ProxyHeaderReader.read(stream("PROXY UNKNOWN\r\n".getBytes()), ProxyProtocol.V1).hasAddresses());
    }

    private static final String[] BAD_V1 = {
        "PROXY TCP4 127.0.0.5 127.0.0.1 40000 2121\n",       // bare LF
        "PROXY TCP4 127.0.0.5  127.0.0.1 40000 2121\r\n",    // two spaces
        "PROXY TCP4 127.0.0.05 127.0.0.1 40000 2121\r\n",    // leading zero
        "PROXY TCP4 256.0.0.5 127.0.0.1 40000 2121\r\n",
        "PROXY TCP4 127.0.0.5 127.0.0.1 65536 2121\r\n",
        "PROXY TCP4 127.0.0.5 127.0.0.1 040000 2121\r\n",
        "PROXY TCP4 ::1 127.0.0.1 1 2\r\n",                   // IPv6 as TCP4
        "PROXY TCP6 127.0.0.1 ::1 1 2\r\n",                   // IPv4 as TCP6
        "PROXY TCP6 1::2::3 ::1 1 2\r\n",
        "PROXY TCP4 example.com 127.0.0.1 1 2\r\n",
        "PROXY UDP4 127.0.0.5 127.0.0.1 1 2\r\n",
        "PROXY TCP4 127.0.0.5 127.0.0.1 1\r\n",
        "PROXY TCP4 127.0.0.5 127.0.0.1 1 2 3\r\n",
        "PROXY TCP4 127.0.0.5\r127.0.0.1 1 2\r\n",
        "PROXY TCP4 127.0.0.5 127.0.0.1 1 2\u0000\r\n",
        "proxy TCP4 127.0.0.5 127.0.0.1 1 2\r\n",
        "USER alice\r\n",
        "PROXY TCP4 127.0.0.5 127.0.0.1 1 2",                 // truncated
        "PROX",
    };

    @Test
    public void v1IsStrict() {
        for (String bad : BAD_V1) {
            assertThrows(bad, BadProxyHeader.class, () -> ProxyHeaderReader.read(stream(bad.getBytes(
                    StandardCharsets.ISO_8859_1)), ProxyProtocol.V1));
        }
    }

    @Test
    public void v1IsBoundedAt107Bytes() {
        String longest = "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
                + "65535 65535\r\n";
        assertEquals(104, longest.length());
        String tooLong = "PROXY UNKNOWN " + "x".repeat(200) + "\r\n";
        BadProxyHeader e = assertThrows(BadProxyHeader.class,
                () -> ProxyHeaderReader.read(stream(tooLong.getBytes()), ProxyProtocol.V1));
        assertTrue(e.getMessage(), e.getMessage().contains("longer than 107"));
    }

    @Test
    public void readsV2ForIpv4AndIpv6WithTlvs() throws IOException {
        byte[] alpn = HeaderBytes.tlv(0x01, "ftp".getBytes());
        byte[] uniqueId = HeaderBytes.tlv(0x05, new byte[64]);
        byte[] ssl = HeaderBytes.tlv(0x20, new byte[] {1, 0, 0, 0, 0, 0x21, 0, 7, 'T', 'L', 'S', 'v', '1', '.', '3'});
        InputStream in = stream(HeaderBytes.v2(at("127.0.0.5", 40000), at("127.0.0.1", 2121), alpn, uniqueId, ssl),
                AFTER);
        ProxyHeader h = ProxyHeaderReader.read(in, ProxyProtocol.V2);
        assertEquals(at("127.0.0.5", 40000), h.source());
        assertEquals(at("127.0.0.1", 2121), h.destination());
        assertEquals("v2 PROXY TCP4", h.kind());
        assertArrayEquals(AFTER, in.readAllBytes());

        h = ProxyHeaderReader.read(stream(HeaderBytes.v2(at("2001:db8::5", 1), at("2001:db8::1", 990))),
                ProxyProtocol.V2);
        assertEquals(at("2001:db8::5", 1), h.source());
        assertEquals("v2 PROXY TCP6", h.kind());
    }

    @Test
    public void v2LocalAndOtherFamiliesCarryNoAddresses() throws IOException {
        ProxyHeader local = ProxyHeaderReader.read(stream(HeaderBytes.v2Local(), AFTER), ProxyProtocol.V2);
        assertFalse(local.hasAddresses());
        assertNull(local.destination());
        assertEquals("v2 LOCAL", local.kind());
        // LOCAL with IPv4 addresses: they are to be ignored
        byte[] addresses = Arrays.copyOfRange(HeaderBytes.v2(at("1.2.3.4", 1), at("5.6.7.8", 2)), 16, 28);
        assertFalse(ProxyHeaderReader.read(stream(HeaderBytes.v2(0x20, 0x11, addresses)), ProxyProtocol.V2)
                .hasAddresses());
        assertEquals("v2 PROXY UNSPEC", ProxyHeaderReader.read(stream(HeaderBytes.v2(0x21, 0x00, new byte[0])),
                ProxyProtocol.V2).kind());
        assertEquals("v2 PROXY UNIX", ProxyHeaderReader.read(stream(HeaderBytes.v2(0x21, 0x31, new byte[216])),
                ProxyProtocol.V2).kind());
    }

    @Test
    public void v2ChecksItsCrc32c() throws IOException {
        byte[] good = HeaderBytes.withCrc32c(HeaderBytes.v2(at("127.0.0.5", 40000), at("127.0.0.1", 2121)));
        assertEquals(at("127.0.0.5", 40000), ProxyHeaderReader.read(stream(good), ProxyProtocol.V2).source());
        byte[] forged = good.clone();
        forged[19] = 6; // the source address changed on the way: 127.0.0.6
        BadProxyHeader e = assertThrows(BadProxyHeader.class,
                () -> ProxyHeaderReader.read(stream(forged), ProxyProtocol.V2));
        assertTrue(e.getMessage(), e.getMessage().contains("CRC32C"));
    }

    @Test
    public void v2IsStrict() {
        byte[] good = HeaderBytes.v2(at("127.0.0.5", 40000), at("127.0.0.1", 2121));
        assertRefused(mutate(good, 0, 0x0C), "wrong signature");
        assertRefused(mutate(good, 12, 0x11), "version 1");
        assertRefused(mutate(good, 12, 0x22), "unknown command");
        assertRefused(mutate(good, 13, 0x41), "unknown address family");
        assertRefused(mutate(good, 13, 0x12), "transport other than TCP");
        assertRefused(mutate(good, 15, 11), "too short for its addresses");
        assertRefused(Arrays.copyOf(good, 20), "connection closed within");
        assertRefused(HeaderBytes.v2(0x21, 0x11, new byte[12], new byte[] {0x04, 0x00}), "ends within a TLV");
        assertRefused(HeaderBytes.v2(0x21, 0x11, new byte[12], new byte[] {0x04, 0x00, 0x09, 1}),
                "TLV (type 0x4) longer");
        assertRefused(HeaderBytes.v2(0x21, 0x11, new byte[12], HeaderBytes.tlv(0x03, new byte[3])), "of 3 bytes");
        assertRefused("PROXY TCP4 127.0.0.5 127.0.0.1 1 2\r\n".getBytes(), "v1 header where v2");
        assertRefused("GET / HTTP/1.1\r\n\r\n".getBytes(), "wrong signature");
    }

    @Test
    public void v2IsBoundedAt4096Bytes() {
        byte[] big = HeaderBytes.v2(at("127.0.0.5", 1), at("127.0.0.1", 2), HeaderBytes.tlv(0x04, new byte[4068]));
        assertEquals(4099, big.length);
        assertRefused(big, "at most 4096");
        byte[] largest = HeaderBytes.v2(at("127.0.0.5", 1), at("127.0.0.1", 2), HeaderBytes.tlv(0x04,
                new byte[4065]));
        assertEquals(4096, largest.length);
        try {
            assertTrue(ProxyHeaderReader.read(stream(largest), ProxyProtocol.V2).hasAddresses());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void aV2HeaderWhereV1IsConfiguredIsNamed() {
        BadProxyHeader e = assertThrows(BadProxyHeader.class, () -> ProxyHeaderReader.read(
                stream(HeaderBytes.v2Local()), ProxyProtocol.V1));
        assertTrue(e.getMessage(), e.getMessage().contains("v2 header where v1"));
    }

    @Test
    public void nothingAtAllIsSilent() {
        BadProxyHeader e = assertThrows(BadProxyHeader.class,
                () -> ProxyHeaderReader.read(stream(new byte[0]), ProxyProtocol.V2));
        assertTrue(e.silent());
        e = assertThrows(BadProxyHeader.class, () -> ProxyHeaderReader.read(stream(new byte[] {13}),
                ProxyProtocol.V2));
        assertFalse("a byte and then nothing is a broken header", e.silent());
    }

    /**
     * Mutated, truncated and random headers of both versions: the parser only ever answers with a header or
     * {@link BadProxyHeader}, never another exception, and never reads past the header's declared end.
     */
    @Test
    public void mutatedHeadersOnlyEverFailCleanly() throws IOException {
        Random random = new Random(15);
        byte[][] seeds = {
            HeaderBytes.v1(at("127.0.0.5", 40000), at("127.0.0.1", 2121)),
            HeaderBytes.v1(at("2001:db8::5", 1), at("::1", 21)),
            "PROXY UNKNOWN\r\n".getBytes(),
            HeaderBytes.v2(at("127.0.0.5", 40000), at("127.0.0.1", 2121), HeaderBytes.tlv(0x01, "ftp".getBytes())),
            HeaderBytes.withCrc32c(HeaderBytes.v2(at("2001:db8::5", 1), at("::1", 21))),
            HeaderBytes.v2Local(),
        };
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] seed = seeds[random.nextInt(seeds.length)];
            byte[] input = Fuzz.mutate(seed, random);
            for (ProxyProtocol version : new ProxyProtocol[] {ProxyProtocol.V1, ProxyProtocol.V2}) {
                CountingInput in = new CountingInput(input);
                try {
                    ProxyHeaderReader.read(in, version);
                    parsed++;
                } catch (BadProxyHeader expected) {
                    // the one allowed failure
                }
                assertTrue("read " + in.count + " of " + input.length + " bytes", in.count <= Math.max(
                        ProxyHeaderReader.V2_MAX, ProxyHeaderReader.V1_MAX));
            }
        }
        assertTrue("some mutations stay valid headers: " + parsed, parsed > 100);
    }

    private static void assertRefused(byte[] header, String because) {
        BadProxyHeader e = assertThrows(BadProxyHeader.class,
                () -> ProxyHeaderReader.read(stream(header), ProxyProtocol.V2));
        assertTrue(e.getMessage() + " should say: " + because, e.getMessage().contains(because));
    }

    private static byte[] mutate(byte[] header, int index, int value) {
        byte[] out = header.clone();
        out[index] = (byte) value;
        return out;
    }

    private static InputStream stream(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return new ByteArrayInputStream(all.toByteArray());
    }

    /** Counts what the parser consumed. */
    private static final class CountingInput extends ByteArrayInputStream {
        int count;

        CountingInput(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read() {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }
    }
}
