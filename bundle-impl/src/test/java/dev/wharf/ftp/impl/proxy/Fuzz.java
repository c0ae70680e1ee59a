package dev.wharf.ftp.impl.proxy;

import java.util.Arrays;
import java.util.Random;

/** Ways to break a valid header: shared by the parser's fuzz test and the listener's. */
public final class Fuzz {

    private Fuzz() {
    }

    /** One random mutation of the header: bytes flipped, truncated, lengthened, garbage or oversized. */
    public static byte[] mutate(byte[] header, Random random) {
        byte[] out = header.clone();
        switch (random.nextInt(7)) {
            case 0 -> {
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> out = Arrays.copyOf(out, random.nextInt(out.length)); // truncated
            case 2 -> {
                out = Arrays.copyOf(out, out.length + 1 + random.nextInt(200)); // trailing bytes
                for (int i = header.length; i < out.length; i++) {
                    out[i] = (byte) random.nextInt(256);
                }
            }
            case 3 -> {
                out = new byte[random.nextInt(300)]; // garbage
                random.nextBytes(out);
            }
            case 4 -> {
                if (out.length > 16) { // v2: a length field that lies
                    int length = random.nextInt(65536);
                    out[14] = (byte) (length >> 8);
                    out[15] = (byte) length;
                }
            }
            case 5 -> {
                byte[] longer = new byte[out.length + 150]; // v1 beyond 107 bytes
                Arrays.fill(longer, (byte) '1');
                System.arraycopy(out, 0, longer, 0, Math.min(out.length, 20));
                out = longer;
            }
            default -> {
                int at = random.nextInt(out.length); // a byte dropped
                byte[] shorter = new byte[out.length - 1];
                System.arraycopy(out, 0, shorter, 0, at);
                System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                out = shorter;
            }
        }
        return out;
    }
}
