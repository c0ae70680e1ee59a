package dev.wharf.ftp.impl.proxy;

import dev.wharf.ftp.impl.settings.ProxyProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Reads the PROXY protocol header (HAProxy's specification, versions 1 and 2) that a load balancer sends before
 * anything of the client's. Strict: only the configured version is accepted, every field is checked, and anything
 * else fails the connection. Bounded: the header is at most {@value #V1_MAX} bytes (v1) or {@value #V2_MAX} bytes
 * (v2, TLVs included), and {@link #read(Socket, ProxyProtocol, int)} gives it a total deadline.
 *
 * <p>Exactly the header's bytes are consumed, nothing after them: what follows (a TLS ClientHello, a command
 * line, file data) is read by whoever comes next, from the same socket. So v1's line is read a byte at a time,
 * like a {@code recv} of one byte, and v2's length field says how much more to read.
 *
 * <p>Written here rather than taken from a library: the one well-kept Java implementation (Netty's
 * {@code codec-haproxy}) needs Netty's buffers and pipeline, and Wharf's sessions are blocking sockets.
 */
public final class ProxyHeaderReader {

    /** The v1 limit of the specification: the longest TCP6 line, CRLF included. */
    public static final int V1_MAX = 107;
    /** What v2 headers may total here: ample for addresses and the TLVs HAProxy sends (SSL, ALPN, unique ID). */
    public static final int V2_MAX = 4096;

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54,
        0x0A};
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final int V2_FIXED = 16;
    private static final int TLV_CRC32C = 0x03;

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PORT = Pattern.compile("0|[1-9]\\d{0,4}");

    private ProxyHeaderReader() {
    }

    /**
     * Reads the header from a connected socket within {@code timeoutMillis} in total, however slowly it arrives;
     * the socket's read timeout is as before afterwards.
     *
     * @throws BadProxyHeader for anything but a complete, valid header of that version in time
     * @throws IOException when the connection fails
     */
    public static ProxyHeader read(Socket socket, ProxyProtocol version, int timeoutMillis) throws IOException {
        int before = socket.getSoTimeout();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try {
            return read(new DeadlineInput(socket, deadline), version);
        } catch (SocketTimeoutException e) {
            throw new BadProxyHeader("no complete PROXY header within " + (timeoutMillis + 999) / 1000 + " s");
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(before);
            }
        }
    }

    /**
     * Reads the header from a stream, consuming exactly its bytes.
     *
     * @throws BadProxyHeader for anything but a complete, valid header of that version
     */
    public static ProxyHeader read(InputStream in, ProxyProtocol version) throws IOException {
        return switch (version) {
            case V1 -> readV1(in);
            case V2 -> readV2(in);
            case NONE -> throw new IllegalArgumentException("no PROXY protocol configured");
        };
    }

    // ---- version 1: one line of text ----

    private static ProxyHeader readV1(InputStream in) throws IOException {
        byte[] line = new byte[V1_MAX];
        readStart(in, line, V1_PREFIX.length);
        if (Arrays.equals(line, 0, V1_PREFIX.length, V2_SIGNATURE, 0, V1_PREFIX.length)) {
            throw new BadProxyHeader("a PROXY protocol v2 header where v1 is configured (proxy.protocol)");
        }
        if (!Arrays.equals(line, 0, V1_PREFIX.length, V1_PREFIX, 0, V1_PREFIX.length)) {
            throw new BadProxyHeader("not a PROXY protocol v1 header (it does not start with 'PROXY ')");
        }
        int length = V1_PREFIX.length;
        while (true) {
            if (length == V1_MAX) {
                throw new BadProxyHeader("PROXY v1 header longer than " + V1_MAX + " bytes");
            }
            int b = in.read();
            if (b < 0) {
                throw new BadProxyHeader("connection closed within a PROXY v1 header (" + length
                        + " bytes received)");
            }
            if (line[length - 1] == '\r' && b != '\n') {
                throw new BadProxyHeader("PROXY v1 header has a CR that does not end it");
            }
            line[length++] = (byte) b;
            if (b == '\n') {
                if (line[length - 2] != '\r') {
                    throw new BadProxyHeader("PROXY v1 header ends with a bare LF instead of CRLF");
                }
                break;
            }
            if (b != '\r' && (b < 0x20 || b > 0x7E)) {
                throw new BadProxyHeader("PROXY v1 header has the byte 0x" + Integer.toHexString(b)
                        + ", which is not printable ASCII");
            }
        }
        String text = new String(line, V1_PREFIX.length, length - V1_PREFIX.length - 2, StandardCharsets.US_ASCII);
        return parseV1(text);
    }

    private static ProxyHeader parseV1(String text) throws BadProxyHeader {
        if (text.equals("UNKNOWN") || text.startsWith("UNKNOWN ")) {
            return ProxyHeader.withoutAddresses("v1 UNKNOWN"); // the rest of the line is to be ignored
        }
        String[] f = text.split(" ", -1);
        if (f.length != 5 || !(f[0].equals("TCP4") || f[0].equals("TCP6"))) {
            throw new BadProxyHeader("PROXY v1 header is not 'TCP4|TCP6 source destination sport dport' nor "
                    + "'UNKNOWN': '" + text + "'");
        }
        boolean v4 = f[0].equals("TCP4");
        InetAddress source = v1Address(f[1], v4);
        InetAddress destination = v1Address(f[2], v4);
        return new ProxyHeader(new InetSocketAddress(source, v1Port(f[3])),
                new InetSocketAddress(destination, v1Port(f[4])), "v1 PROXY " + f[0]);
    }

    private static InetAddress v1Address(String text, boolean v4) throws BadProxyHeader {
        if (!(v4 ? IPV4 : IPV6).matcher(text).matches()) {
            throw new BadProxyHeader("PROXY v1 header has '" + text + "' where an IPv" + (v4 ? 4 : 6)
                    + " address belongs");
        }
        try {
            return InetAddress.getByName(text); // a literal, as checked above: never a DNS query
        } catch (UnknownHostException e) {
            throw new BadProxyHeader("PROXY v1 header has '" + text + "', not an IPv" + (v4 ? 4 : 6) + " address");
        }
    }

    private static int v1Port(String text) throws BadProxyHeader {
        if (!PORT.matcher(text).matches() || Integer.parseInt(text) > 65535) {
            throw new BadProxyHeader("PROXY v1 header has '" + text + "' where a port number belongs");
        }
        return Integer.parseInt(text);
    }

    // ---- version 2: binary ----

    private static ProxyHeader readV2(InputStream in) throws IOException {
        byte[] fixed = new byte[V2_FIXED];
        readStart(in, fixed, V2_FIXED);
        if (Arrays.equals(fixed, 0, V1_PREFIX.length, V1_PREFIX, 0, V1_PREFIX.length)) {
            throw new BadProxyHeader("a PROXY protocol v1 header where v2 is configured (proxy.protocol)");
        }
        if (!Arrays.equals(fixed, 0, V2_SIGNATURE.length, V2_SIGNATURE, 0, V2_SIGNATURE.length)) {
            throw new BadProxyHeader("not a PROXY protocol v2 header (wrong signature)");
        }
        int version = (fixed[12] & 0xF0) >> 4;
        int command = fixed[12] & 0x0F;
        if (version != 2) {
            throw new BadProxyHeader("PROXY header of version " + version + ", not 2");
        }
        if (command > 1) {
            throw new BadProxyHeader("PROXY v2 header with the unknown command " + command);
        }
        int family = (fixed[13] & 0xF0) >> 4;
        int transport = fixed[13] & 0x0F;
        if (family > 3 || transport > 2) {
            throw new BadProxyHeader("PROXY v2 header with the unknown address family/transport 0x"
                    + Integer.toHexString(fixed[13] & 0xFF));
        }
        int length = (fixed[14] & 0xFF) << 8 | fixed[15] & 0xFF;
        if (V2_FIXED + length > V2_MAX) {
            throw new BadProxyHeader("PROXY v2 header of " + (V2_FIXED + length) + " bytes; at most " + V2_MAX
                    + " are accepted");
        }
        byte[] header = Arrays.copyOf(fixed, V2_FIXED + length);
        readFully(in, header, V2_FIXED, length, "PROXY v2 header");
        int addressBytes = switch (family) {
            case 1 -> 12;  // IPv4: source, destination, two ports
            case 2 -> 36;  // IPv6
            case 3 -> 216; // Unix sockets: two paths of 108 bytes
            default -> 0;  // unspecified
        };
        if (length < addressBytes) {
            throw new BadProxyHeader("PROXY v2 header too short for its addresses (" + length + " of "
                    + addressBytes + " bytes)");
        }
        checkTlvs(header, V2_FIXED + addressBytes);
        if (command == 0) {
            return ProxyHeader.withoutAddresses("v2 LOCAL"); // the balancer's own connection: addresses ignored
        }
        if (family == 0 || family == 3) {
            return ProxyHeader.withoutAddresses("v2 PROXY " + (family == 0 ? "UNSPEC" : "UNIX"));
        }
        if (transport != 1) {
            throw new BadProxyHeader("PROXY v2 header for a transport other than TCP (" + transport + ")");
        }
        int size = family == 1 ? 4 : 16;
        ByteBuffer b = ByteBuffer.wrap(header, V2_FIXED, addressBytes);
        byte[] source = new byte[size];
        byte[] destination = new byte[size];
        b.get(source).get(destination);
        int sourcePort = b.getShort() & 0xFFFF;
        int destinationPort = b.getShort() & 0xFFFF;
        return new ProxyHeader(new InetSocketAddress(v2Address(source), sourcePort),
                new InetSocketAddress(v2Address(destination), destinationPort),
                "v2 PROXY " + (family == 1 ? "TCP4" : "TCP6"));
    }

    private static InetAddress v2Address(byte[] raw) throws BadProxyHeader {
        try {
            return raw.length == 4 ? InetAddress.getByAddress(raw) : Inet6Address.getByAddress(null, raw, -1);
        } catch (UnknownHostException e) {
            throw new BadProxyHeader("PROXY v2 header with an address of " + raw.length + " bytes");
        }
    }

    /**
     * The TLVs after the addresses must fill the header exactly; a CRC32C TLV, when the balancer sends one, must
     * match. The values themselves (ALPN, SSL details, unique ID) are not needed here.
     */
    private static void checkTlvs(byte[] header, int start) throws BadProxyHeader {
        int at = start;
        while (at < header.length) {
            if (header.length - at < 3) {
                throw new BadProxyHeader("PROXY v2 header ends within a TLV");
            }
            int type = header[at] & 0xFF;
            int length = (header[at + 1] & 0xFF) << 8 | header[at + 2] & 0xFF;
            if (header.length - at - 3 < length) {
                throw new BadProxyHeader("PROXY v2 header has a TLV (type 0x" + Integer.toHexString(type)
                        + ") longer than the header");
            }
            if (type == TLV_CRC32C) {
                checkCrc(header, at + 3, length);
            }
            at += 3 + length;
        }
    }

    private static void checkCrc(byte[] header, int value, int length) throws BadProxyHeader {
        if (length != 4) {
            throw new BadProxyHeader("PROXY v2 header has a CRC32C TLV of " + length + " bytes, not 4");
        }
        long expected = ByteBuffer.wrap(header, value, 4).getInt() & 0xFFFFFFFFL;
        byte[] zeroed = header.clone();
        Arrays.fill(zeroed, value, value + 4, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(zeroed);
        if (crc.getValue() != expected) {
            throw new BadProxyHeader("PROXY v2 header fails its CRC32C check");
        }
    }

    // ---- reading ----

    /** The first bytes: none at all is the silent end of a health check, some is a broken header. */
    private static void readStart(InputStream in, byte[] into, int count) throws IOException {
        int first = in.read(into, 0, count);
        if (first < 0) {
            throw BadProxyHeader.closedBeforeAnyByte();
        }
        readFully(in, into, first, count - first, "PROXY header");
    }

    private static void readFully(InputStream in, byte[] into, int offset, int count, String what)
            throws IOException {
        int done = 0;
        while (done < count) {
            int n = in.read(into, offset + done, count - done);
            if (n < 0) {
                throw new BadProxyHeader("connection closed within a " + what + " (" + (offset + done)
                        + " bytes received)");
            }
            done += n;
        }
    }

    /** A socket's input whose every read waits at most until a common deadline. */
    private static final class DeadlineInput extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        DeadlineInput(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException();
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            return in.read(b, off, len);
        }
    }
}
