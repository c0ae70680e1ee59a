package dev.wharf.ftp.impl.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.CRC32;

/** Checksums of a file or a byte range of it, for HASH, XCRC, XMD5, XSHA1 and XSHA256. */
public enum FileDigest {
    SHA_256("SHA-256"), SHA_1("SHA-1"), MD5("MD5"), CRC32("CRC32");

    private final String label;

    FileDigest(String label) {
        this.label = label;
    }

    /** The name used on the wire, e.g. {@code SHA-256}. */
    public String label() {
        return label;
    }

    /** @return the algorithm named on the wire, or null */
    public static FileDigest byLabel(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (FileDigest d : values()) {
            if (d.label.equals(n)) {
                return d;
            }
        }
        return null;
    }

    /**
     * Digests bytes {@code start} (inclusive) to {@code end} (exclusive) of the open file, in lower-case hex.
     */
    public String compute(FileChannel ch, long start, long end) throws IOException {
        Accumulator acc = accumulator();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        {
            long position = start;
            while (position < end) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                int n = ch.read(buffer, position);
                if (n < 0) {
                    break;
                }
                acc.update(buffer.array(), n);
                position += n;
            }
        }
        return acc.hex();
    }

    private interface Accumulator {
        void update(byte[] bytes, int length);

        String hex();
    }

    private Accumulator accumulator() {
        if (this == CRC32) {
            CRC32 crc = new CRC32();
            return new Accumulator() {
                public void update(byte[] bytes, int length) {
                    crc.update(bytes, 0, length);
                }

                public String hex() {
                    return String.format(Locale.ROOT, "%08x", crc.getValue());
                }
            };
        }
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(label);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(label + " is a required JDK algorithm", e);
        }
        return new Accumulator() {
            public void update(byte[] bytes, int length) {
                md.update(bytes, 0, length);
            }

            public String hex() {
                return HexFormat.of().formatHex(md.digest());
            }
        };
    }
}
