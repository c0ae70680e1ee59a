package dev.wharf.ftp.impl.data;

import dev.wharf.ftp.impl.fs.StorageFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Moves file bytes over a data connection. Plain binary downloads go kernel-to-kernel with
 * {@link FileChannel#transferTo}; TLS transfers read the file in large blocks so that every TLS record is a
 * full 16 KiB. ASCII (TYPE A) converts line ends a block at a time: LF to CRLF on the way out, CRLF to LF on the
 * way in.
 *
 * <p>Limits (a {@link Throttle}, a quota's {@link WriteGuard}) are chosen once per transfer: without any, a transfer
 * runs exactly the unlimited code; with one, a metered loop moves a throttle's chunk at a time and paces after each.
 */
public final class TransferPump {

    /** Four full TLS records per write. */
    static final int BLOCK = 64 * 1024;
    private static final long ZERO_COPY_CHUNK = 8L * 1024 * 1024;
    private static final int RECEIVE_BLOCK = 256 * 1024;

    private TransferPump() {
    }

    /** Checks, before a block is written, that the file may grow to {@code endPosition} (a quota). */
    @FunctionalInterface
    public interface WriteGuard {
        /** @throws StorageFailure of kind QUOTA when it may not */
        void reserve(long endPosition) throws StorageFailure;
    }

    /**
     * Sends the file from {@code offset} to its end, no faster than the throttle allows (null: unlimited); returns
     * the bytes read from the file.
     */
    public static long send(FileChannel file, long offset, DataConnection data, boolean ascii, Throttle throttle)
            throws IOException {
        return throttle == null ? send(file, offset, data, ascii) : sendThrottled(file, offset, data, ascii, throttle);
    }

    /** Sends the file from {@code offset} to its end; returns the bytes read from the file. */
    public static long send(FileChannel file, long offset, DataConnection data, boolean ascii) throws IOException {
        if (!ascii && !data.isTls()) {
            return sendZeroCopy(file, offset, data);
        }
        // A block no larger than the file: small files are the common case where transfers come fast, and a
        // fresh 64 KiB array each time is most of their allocation.
        int size = (int) Math.max(1, Math.min(BLOCK, file.size() - offset));
        byte[] block = new byte[size];
        ByteBuffer buffer = ByteBuffer.wrap(block);
        OutputStream out = data.output();
        AsciiEncoder encoder = ascii ? new AsciiEncoder(size) : null;
        long position = offset;
        int n;
        while ((n = readFile(file, buffer.clear(), position)) > 0) {
            position += n;
            if (encoder != null) {
                encoder.write(block, n, out);
            } else {
                out.write(block, 0, n);
            }
            data.progressed(n);
        }
        out.flush();
        return position - offset;
    }

    private static int readFile(FileChannel file, ByteBuffer buffer, long position) throws StorageFailure {
        try {
            return file.read(buffer, position);
        } catch (IOException e) {
            throw StorageFailure.of("reading the file", e);
        }
    }

    private static long sendZeroCopy(FileChannel file, long offset, DataConnection data) throws IOException {
        long size = file.size();
        long position = offset;
        while (position < size) {
            // Bounded chunks, so that progress is seen between them (the watchdog breaks stalled transfers).
            long sent = file.transferTo(position, Math.min(ZERO_COPY_CHUNK, size - position), data.channel());
            if (sent <= 0) {
                if (file.size() < size) {
                    break; // the file shrank while being sent
                }
                continue;
            }
            position += sent;
            data.progressed(sent);
        }
        return position - offset;
    }

    /**
     * A limited download: a chunk at a time, each flushed (so that it leaves when it is paced, not when a batch
     * fills) and followed by the throttle's wait. Loops of its own rather than a flag in the unlimited ones, which
     * stay exactly the code the benchmark measures.
     */
    private static long sendThrottled(FileChannel file, long offset, DataConnection data, boolean ascii,
            Throttle throttle) throws IOException {
        long position = offset;
        if (!ascii && !data.isTls()) {
            long size = file.size();
            while (position < size) {
                long sent = file.transferTo(position, Math.min(throttle.chunk(), size - position), data.channel());
                if (sent <= 0) {
                    if (file.size() < size) {
                        break; // the file shrank while being sent
                    }
                    continue;
                }
                position += sent;
                data.progressed(sent);
                throttle.pace(sent, data::progressed);
            }
            return position - offset;
        }
        byte[] block = new byte[throttle.chunk()];
        ByteBuffer buffer = ByteBuffer.wrap(block);
        OutputStream out = data.output();
        AsciiEncoder encoder = ascii ? new AsciiEncoder(block.length) : null;
        int n;
        while ((n = readFile(file, buffer.clear(), position)) > 0) {
            position += n;
            if (encoder != null) {
                encoder.write(block, n, out);
            } else {
                out.write(block, 0, n);
            }
            out.flush();
            data.progressed(n);
            throttle.pace(n, data::progressed);
        }
        return position - offset;
    }

    /** The number of bytes a TYPE A download of the file sends: its size plus one CR per bare LF. */
    public static long asciiSize(FileChannel file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
        byte[] b = buffer.array();
        long size = 0;
        long position = 0;
        byte last = 0;
        int n;
        while ((n = file.read(buffer.clear(), position)) > 0) {
            for (int i = 0; i < n; i++) {
                if (b[i] == '\n' && (i == 0 ? last : b[i - 1]) != '\r') {
                    size++;
                }
            }
            last = b[n - 1];
            size += n;
            position += n;
        }
        return size;
    }

    /**
     * Writes everything the client sends into the file at {@code offset}, no faster than the throttle allows and
     * only as far as the guard lets the file grow (either may be null: no limit); returns the bytes written.
     */
    public static long receive(DataConnection data, FileChannel file, long offset, boolean ascii, Throttle throttle,
            WriteGuard guard) throws IOException {
        return throttle == null && guard == null ? receive(data, file, offset, ascii)
                : receiveMetered(data, file, offset, ascii, throttle, guard);
    }

    /** Writes everything the client sends into the file at {@code offset}; returns the bytes written. */
    public static long receive(DataConnection data, FileChannel file, long offset, boolean ascii) throws IOException {
        if (!ascii && !data.isTls()) {
            return receiveDirect(data, file, offset);
        }
        byte[] block = new byte[BLOCK];
        InputStream in = data.input();
        AsciiDecoder decoder = ascii ? new AsciiDecoder() : null;
        byte[] decoded = ascii ? new byte[BLOCK + 1] : null;
        long position = offset;
        int n;
        while ((n = fill(in, block, data)) > 0) {
            if (decoder != null) {
                position += writeFully(file, ByteBuffer.wrap(decoded, 0, decoder.decode(block, n, decoded)), position);
            } else {
                position += writeFully(file, ByteBuffer.wrap(block, 0, n), position);
            }
        }
        if (decoder != null && decoder.pendingCr()) {
            position += writeFully(file, ByteBuffer.wrap(new byte[] {'\r'}), position);
        }
        return position - offset;
    }

    /**
     * Reads until the block is full or the stream ends, so that the file gets one write per block rather than one
     * per TLS record; returns the bytes read (0 at the end). Every read counts as progress, so a slow client is not
     * mistaken for a stalled one.
     */
    private static int fill(InputStream in, byte[] block, DataConnection data) throws IOException {
        int filled = 0;
        int n;
        while (filled < block.length && (n = in.read(block, filled, block.length - filled)) >= 0) {
            filled += n;
            data.progressed(n);
        }
        return filled;
    }

    /**
     * Plain binary uploads: socket to file through one direct buffer, so the bytes are never copied in the JVM.
     * Channel reads ignore SO_TIMEOUT; the stall watchdog covers a client that stops sending.
     */
    private static long receiveDirect(DataConnection data, FileChannel file, long offset) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(RECEIVE_BLOCK);
        long position = offset;
        while (data.channel().read(buffer.clear()) >= 0) {
            int written = writeFully(file, buffer.flip(), position);
            position += written;
            data.progressed(written);
        }
        return position - offset;
    }

    /**
     * A limited upload: a block (a throttle's chunk when there is one) is read, checked against the guard, written,
     * and followed by the throttle's wait.
     */
    private static long receiveMetered(DataConnection data, FileChannel file, long offset, boolean ascii,
            Throttle throttle, WriteGuard guard) throws IOException {
        WriteGuard check = guard != null ? guard : end -> { };
        long position = offset;
        if (!ascii && !data.isTls()) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(throttle != null ? throttle.chunk() : RECEIVE_BLOCK);
            int n;
            while ((n = data.channel().read(buffer.clear())) >= 0) {
                check.reserve(position + n);
                position += writeFully(file, buffer.flip(), position);
                data.progressed(n);
                pace(throttle, n, data);
            }
            return position - offset;
        }
        byte[] block = new byte[throttle != null ? throttle.chunk() : BLOCK];
        InputStream in = data.input();
        AsciiDecoder decoder = ascii ? new AsciiDecoder() : null;
        byte[] decoded = ascii ? new byte[block.length + 1] : null;
        int n;
        while ((n = fill(in, block, data)) > 0) {
            byte[] bytes = decoder != null ? decoded : block;
            int length = decoder != null ? decoder.decode(block, n, decoded) : n;
            check.reserve(position + length);
            position += writeFully(file, ByteBuffer.wrap(bytes, 0, length), position);
            pace(throttle, n, data);
        }
        if (decoder != null && decoder.pendingCr()) {
            check.reserve(position + 1);
            position += writeFully(file, ByteBuffer.wrap(new byte[] {'\r'}), position);
        }
        return position - offset;
    }

    private static void pace(Throttle throttle, long bytes, DataConnection data) throws IOException {
        if (throttle != null) {
            throttle.pace(bytes, data::progressed);
        }
    }

    /** Writes the whole buffer to the file; a failure there is the storage's (a full disk, say), not the network's. */
    private static int writeFully(FileChannel file, ByteBuffer buffer, long position) throws StorageFailure {
        int total = 0;
        try {
            while (buffer.hasRemaining()) {
                total += file.write(buffer, position + total);
            }
        } catch (IOException e) {
            throw StorageFailure.of("writing the file", e);
        }
        return total;
    }

    /** LF becomes CRLF (a CRLF already in the file stays as it is); runs between line ends are copied whole. */
    static final class AsciiEncoder {
        private final byte[] out;
        private byte last;

        AsciiEncoder(int block) {
            this.out = new byte[block * 2];
        }

        void write(byte[] in, int length, OutputStream target) throws IOException {
            int o = 0;
            int runStart = 0;
            for (int i = 0; i < length; i++) {
                if (in[i] == '\n' && (i == 0 ? last : in[i - 1]) != '\r') {
                    int run = i - runStart;
                    System.arraycopy(in, runStart, out, o, run);
                    o += run;
                    out[o++] = '\r';
                    runStart = i; // the LF itself starts the next run
                }
            }
            int run = length - runStart;
            System.arraycopy(in, runStart, out, o, run);
            o += run;
            if (length > 0) {
                last = in[length - 1];
            }
            target.write(out, 0, o);
        }
    }

    /** CRLF becomes LF; a CR at the end of a block waits for the next byte to decide. */
    static final class AsciiDecoder {
        private boolean carryCr;

        /** @param out at least {@code length + 1} bytes; returns the bytes written to it */
        int decode(byte[] in, int length, byte[] out) {
            int o = 0;
            for (int i = 0; i < length; i++) {
                byte b = in[i];
                if (carryCr) {
                    carryCr = false;
                    if (b != '\n') {
                        out[o++] = '\r';
                    }
                }
                if (b == '\r') {
                    carryCr = true;
                } else {
                    out[o++] = b;
                }
            }
            return o;
        }

        boolean pendingCr() {
            return carryCr;
        }
    }
}
