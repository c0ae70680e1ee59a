package dev.wharf.ftp.impl.proxy;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** PROXY protocol headers as a load balancer sends them, built by the specification for tests. */
public final class HeaderBytes {

    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private HeaderBytes() {
    }

    /** {@code PROXY TCP4|TCP6 source destination sport dport\r\n}. */
    public static byte[] v1(InetSocketAddress source, InetSocketAddress destination) {
        String family = source.getAddress() instanceof Inet4Address ? "TCP4" : "TCP6";
        return ("PROXY " + family + " " + source.getAddress().getHostAddress() + " "
                + destination.getAddress().getHostAddress() + " " + source.getPort() + " " + destination.getPort()
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A v2 PROXY header for TCP over IPv4 or IPv6, followed by the given TLVs. */
    public static byte[] v2(InetSocketAddress source, InetSocketAddress destination, byte[]... tlvs) {
        boolean v4 = source.getAddress() instanceof Inet4Address;
        ByteArrayOutputStream addresses = new ByteArrayOutputStream();
        addresses.writeBytes(source.getAddress().getAddress());
        addresses.writeBytes(destination.getAddress().getAddress());
        addresses.writeBytes(ByteBuffer.allocate(4).putShort((short) source.getPort())
                .putShort((short) destination.getPort()).array());
        return v2(0x21, v4 ? 0x11 : 0x21, addresses.toByteArray(), tlvs);
    }

    /** A v2 LOCAL header (a balancer's health check), without addresses. */
    public static byte[] v2Local() {
        return v2(0x20, 0x00, new byte[0]);
    }

    /** A v2 header from its parts: version/command byte, family/transport byte, address block, TLVs. */
    public static byte[] v2(int versionCommand, int familyTransport, byte[] addresses, byte[]... tlvs) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(addresses);
        for (byte[] tlv : tlvs) {
            body.writeBytes(tlv);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        out.write(versionCommand);
        out.write(familyTransport);
        out.write(body.size() >> 8);
        out.write(body.size() & 0xFF);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    public static byte[] tlv(int type, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(3 + value.length);
        b.put((byte) type).putShort((short) value.length).put(value);
        return b.array();
    }

    /** The header with a CRC32C TLV appended, its checksum computed as the specification says. */
    public static byte[] withCrc32c(byte[] header) {
        byte[] out = java.util.Arrays.copyOf(header, header.length + 7);
        int length = ((out[14] & 0xFF) << 8 | out[15] & 0xFF) + 7;
        out[14] = (byte) (length >> 8);
        out[15] = (byte) length;
        out[header.length] = 0x03;
        out[header.length + 2] = 4;
        CRC32C crc = new CRC32C();
        crc.update(out);
        ByteBuffer.wrap(out, header.length + 3, 4).putInt((int) crc.getValue());
        return out;
    }

    public static InetSocketAddress at(String address, int port) {
        return new InetSocketAddress(address, port);
    }
}
