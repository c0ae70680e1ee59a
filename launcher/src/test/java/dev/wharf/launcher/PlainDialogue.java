package dev.wharf.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A clear-text FTP control connection for checking replies by hand, as {@code telnet host port} would. */
final class PlainDialogue implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    PlainDialogue(int port) throws IOException {
        this(port, null);
    }

    /** @param source the loopback address to connect from, e.g. 127.0.0.3; null for any */
    PlainDialogue(int port, String source) throws IOException {
        socket = new Socket();
        if (source != null) {
            socket.bind(new InetSocketAddress(source, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** The next reply (the last line of a multi-line one), or null when the server closed the connection. */
    String reply() throws IOException {
        String line = line();
        if (line != null && line.length() >= 4 && line.charAt(3) == '-') {
            String end = line.substring(0, 3) + " ";
            do {
                line = line();
            } while (line != null && !line.startsWith(end));
        }
        return line;
    }

    /** Sends a command and returns its reply. */
    String send(String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return c == -1 && b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
