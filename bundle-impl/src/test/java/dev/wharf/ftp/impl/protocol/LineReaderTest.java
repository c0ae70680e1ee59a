package dev.wharf.ftp.impl.protocol;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

public class LineReaderTest {

    private static LineReader reader(byte[]... parts) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.write(p);
        }
        return new LineReader(new ByteArrayInputStream(all.toByteArray()));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    public void readsCrlfAndBareLfLines() throws Exception {
        LineReader r = reader(ascii("USER a\r\nPASS b\nNOOP"));
        assertEquals("USER a", r.readLine());
        assertEquals("PASS b", r.readLine());
        assertNull(r.readLine());
    }

    @Test
    public void decodesUtf8AndFallsBackToLatin1() throws Exception {
        LineReader r = reader("RETR ünï.txt\r\n".getBytes(StandardCharsets.UTF_8), new byte[] {'R', ' ', (byte) 0xE9,
                '\n'});
        assertEquals("RETR ünï.txt", r.readLine());
        assertEquals("R é", r.readLine());
    }

    @Test
    public void stripsTelnetCommandsAndKeepsEscapedIac() throws Exception {
        LineReader r = reader(new byte[] {(byte) 0xFF, (byte) 0xF4, (byte) 0xFF, (byte) 0xF2}, ascii("ABOR\r\n"),
                new byte[] {(byte) 0xFF, (byte) 0xFB, 1}, ascii("NOOP\r\n"));
        assertEquals("ABOR", r.readLine());
        assertEquals("NOOP", r.readLine());
    }

    @Test
    public void reportsAnOverlongLineOnceAndReadsTheNext() throws Exception {
        byte[] big = new byte[LineReader.MAX_LINE + 10];
        java.util.Arrays.fill(big, (byte) 'x');
        LineReader r = reader(big, ascii("\r\nNOOP\r\n"));
        assertThrows(LineReader.LineTooLongException.class, r::readLine);
        assertEquals("NOOP", r.readLine());
    }

    @Test
    public void knowsSinceWhenALineHasBeenIncomplete() throws Exception {
        java.io.PipedOutputStream client = new java.io.PipedOutputStream();
        LineReader r = new LineReader(new java.io.PipedInputStream(client));
        assertEquals(0, r.partialLineSince());
        Thread reader = new Thread(() -> {
            try {
                r.readLine();
            } catch (Exception e) {
                // the test checks the state, not the line
            }
        });
        reader.start();
        long before = System.nanoTime();
        client.write(ascii("NO"));
        client.flush();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (r.partialLineSince() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue("a begun line is noticed", r.partialLineSince() - before >= 0);
        client.write(ascii("OP\r\n"));
        client.flush();
        reader.join(5000);
        assertEquals("no line begun after it is complete", 0, r.partialLineSince());
    }

    @Test
    public void handsOverBytesReadAheadOfAuth() throws Exception {
        LineReader r = reader(ascii("AUTH TLS\r\n"), new byte[] {0x16, 0x03, 0x01});
        assertEquals("AUTH TLS", r.readLine());
        assertArrayEquals(new byte[] {0x16, 0x03, 0x01}, r.takeBuffered());
    }

    /** Hands out its parts one read at a time; a null part is a read that times out. */
    private static final class TimingOutStream extends java.io.InputStream {
        private final java.util.ArrayDeque<java.util.Optional<byte[]>> parts = new java.util.ArrayDeque<>();

        TimingOutStream(byte[]... reads) {
            for (byte[] r : reads) {
                parts.add(java.util.Optional.ofNullable(r));
            }
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.net.SocketTimeoutException {
            if (parts.isEmpty()) {
                return -1;
            }
            byte[] part = parts.remove().orElseThrow(() -> new java.net.SocketTimeoutException("Read timed out"));
            int n = Math.min(len, part.length);
            System.arraycopy(part, 0, b, off, n);
            if (n < part.length) {
                parts.addFirst(java.util.Optional.of(java.util.Arrays.copyOfRange(part, n, part.length)));
            }
            return n;
        }
    }

    @Test
    public void aReadTimeoutInTheMiddleOfALineKeepsWhatCameBeforeIt() throws Exception {
        LineReader r = new LineReader(new TimingOutStream(new byte[] {'S', 'T', (byte) 0xFF}, null,
                new byte[] {(byte) 0xF4, 'A'}, null, ascii("T /x\r\nNOOP\r\n")));
        assertThrows(java.net.SocketTimeoutException.class, r::readLine);
        long since = r.partialLineSince();
        assertTrue("a partial line has a start", since != 0);
        assertThrows(java.net.SocketTimeoutException.class, r::readLine);
        assertEquals("the partial line keeps its start across timeouts", since, r.partialLineSince());
        assertEquals("STAT /x", r.readLine()); // the Telnet IP split by the timeout is still dropped
        assertEquals(0, r.partialLineSince());
        assertEquals("NOOP", r.readLine());
    }

    @Test
    public void anOverlongLineInterruptedByATimeoutIsStillReportedOnce() throws Exception {
        byte[] big = new byte[LineReader.MAX_LINE + 10];
        java.util.Arrays.fill(big, (byte) 'x');
        LineReader r = new LineReader(new TimingOutStream(big, null, ascii("xx\r\nNOOP\r\n")));
        assertThrows(java.net.SocketTimeoutException.class, r::readLine);
        assertThrows(LineReader.LineTooLongException.class, r::readLine);
        assertEquals("NOOP", r.readLine());
    }
}
