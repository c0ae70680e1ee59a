package dev.wharf.ftp.impl.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads command lines from the control connection: bounded in length, ended by CRLF (a bare LF is accepted),
 * with Telnet IAC sequences removed (clients send {@code IAC IP IAC DM} before ABOR). Lines are UTF-8 (RFC
 * 2640); a line that is not valid UTF-8 is decoded as ISO-8859-1 so that nothing is lost or fails. The reader
 * keeps its own buffer, so bytes read ahead of an {@code AUTH} line can be handed to the TLS layer.
 */
public final class LineReader {

    /** A line longer than this is refused: long enough for any path a file system allows. */
    public static final int MAX_LINE = 8192;

    private static final int IAC = 0xFF;

    /** Thrown for a line over {@link #MAX_LINE}, once the rest of it has been read and discarded. */
    public static final class LineTooLongException extends Exception {
        private static final long serialVersionUID = 1L;

        LineTooLongException() {
            super("command line longer than " + MAX_LINE + " bytes", null, false, false);
        }
    }

    private final InputStream in;
    private final byte[] buffer = new byte[1024]; // commands are short; idle sessions should cost little
    private int start;
    private int end;
    // The line being read. It is kept when a read is interrupted (the control connection's idle timeout fires
    // while a transfer runs, and the session reads on), so that the next call goes on with the same line.
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean overflow;
    private int telnet; // bytes of a Telnet command still to skip after IAC
    /** When the line being read got its first byte (System.nanoTime()); 0 between lines. */
    private volatile long partialSince;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    public LineReader(InputStream in) {
        this.in = in;
    }

    /**
     * @return the next line without its terminator, or null at the end of the stream
     * @throws LineTooLongException for a line over {@link #MAX_LINE} bytes (the reader is ready for the next)
     * @throws IOException from the stream; after an {@link java.io.InterruptedIOException} (a read timeout) the
     *     next call goes on with the line begun, and {@link #partialLineSince()} still dates from its first byte
     */
    public String readLine() throws IOException, LineTooLongException {
        String complete = read();
        startNextLine();
        return complete;
    }

    private void startNextLine() {
        lineLength = 0;
        overflow = false;
        telnet = 0;
        partialSince = 0;
    }

    /**
     * Since when (System.nanoTime()) the line being read has been incomplete, or 0 when no line is begun: a client
     * that trickles a command byte by byte never looks idle, so it is given a deadline from this.
     */
    public long partialLineSince() {
        return partialSince;
    }

    private String read() throws IOException, LineTooLongException {
        while (true) {
            if (start == end) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    return null;
                }
                start = 0;
                end = n;
            }
            int b = buffer[start++] & 0xFF;
            if (partialSince == 0) {
                partialSince = System.nanoTime();
            }
            if (telnet == 2) { // the byte after IAC
                telnet = b >= 251 && b <= 254 ? 1 : 0; // WILL/WONT/DO/DONT carry one option byte
                if (b != IAC) {
                    continue; // IP, DM and the like are not part of the line
                }
            } else if (telnet == 1) {
                telnet = 0;
                continue;
            } else if (b == IAC) {
                telnet = 2;
                continue;
            }
            if (b == '\n') {
                if (overflow) {
                    startNextLine();
                    throw new LineTooLongException();
                }
                int len = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                return decode(len);
            }
            if (overflow) {
                continue;
            }
            if (lineLength == MAX_LINE) {
                overflow = true;
                continue;
            }
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
            }
            line[lineLength++] = (byte) b;
        }
    }

    /** Bytes read from the connection but not yet returned as lines (for a TLS layer taking over the socket). */
    public byte[] takeBuffered() {
        byte[] rest = Arrays.copyOfRange(buffer, start, end);
        start = end = 0;
        return rest;
    }

    private String decode(int len) {
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(line, 0, len));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return new String(line, 0, len, StandardCharsets.ISO_8859_1);
        }
    }
}
