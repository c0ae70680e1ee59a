package dev.wharf.ftp.impl.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

public class TransferPumpTest {

    @Test
    public void encodesBareLfAcrossBlocks() throws Exception {
        TransferPump.AsciiEncoder e = new TransferPump.AsciiEncoder(16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] first = "a\r".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "\nb\n".getBytes(StandardCharsets.US_ASCII);
        e.write(first, first.length, out);
        e.write(second, second.length, out);
        assertEquals("a\r\nb\r\n", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    public void decodesCrlfSplitAcrossBlocksAndKeepsLoneCr() {
        TransferPump.AsciiDecoder d = new TransferPump.AsciiDecoder();
        byte[] out = new byte[32];
        StringBuilder s = new StringBuilder();
        for (String block : new String[] {"a\r", "\nb\rc\r", "\r\n"}) {
            byte[] in = block.getBytes(StandardCharsets.US_ASCII);
            int n = d.decode(in, in.length, out);
            s.append(new String(out, 0, n, StandardCharsets.US_ASCII));
        }
        assertEquals("a\nb\rc\r\n", s.toString());
        assertTrue(!d.pendingCr());
    }
}
