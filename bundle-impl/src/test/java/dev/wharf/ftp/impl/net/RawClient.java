package dev.wharf.ftp.impl.net;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare control connection for tests that must see exact bytes or send what no well-behaved client sends
 * (a command without waiting for its reply, overlong lines, invalid UTF-8).
 */
final class RawClient implements Closeable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawClient(int port) throws IOException {
        this(null, port);
    }

    /** A connection from this local address (e.g. 127.0.0.9: another host on the loopback network). */
    RawClient(String from, int port) throws IOException {
        socket = new Socket();
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends AUTH TLS and switches to TLS with this client context; returns the TLS socket. */
    javax.net.ssl.SSLSocket startTls(javax.net.ssl.SSLContext context, String... protocols) throws IOException {
        send("AUTH TLS");
        expect("234");
        return wrap(context, protocols);
    }

    /** Sends AUTH TLS and switches to TLS offering only these suites, the client's favourite first. */
    javax.net.ssl.SSLSocket startTlsOffering(javax.net.ssl.SSLContext context, String protocol, String... suites)
            throws IOException {
        send("AUTH TLS");
        expect("234");
        return wrap(context, tls -> {
            tls.setEnabledProtocols(new String[] {protocol});
            tls.setEnabledCipherSuites(suites);
        });
    }

    /** Switches to TLS at once (implicit FTPS). */
    javax.net.ssl.SSLSocket wrap(javax.net.ssl.SSLContext context, String... protocols) throws IOException {
        return wrap(context, tls -> {
            if (protocols.length > 0) {
                tls.setEnabledProtocols(protocols);
            }
        });
    }

    private javax.net.ssl.SSLSocket wrap(javax.net.ssl.SSLContext context,
            java.util.function.Consumer<javax.net.ssl.SSLSocket> configure) throws IOException {
        javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket(socket, "127.0.0.1", socket.getPort(), true);
        configure.accept(tls);
        tls.startHandshake();
        socket = tls;
        in = tls.getInputStream();
        out = tls.getOutputStream();
        return tls;
    }

    void login(String user) throws IOException {
        send("USER " + user);
        expect("331");
        send("PASS " + TestServer.PASSWORD);
        expect("230");
    }

    /** PBSZ 0 and PROT P: data connections are TLS from here on. */
    void protectData() throws IOException {
        send("PBSZ 0");
        expect("200");
        send("PROT P");
        expect("200");
    }

    /** Logs in as the user (reads the greeting first). */
    static RawClient loggedIn(int port, String user) throws IOException {
        RawClient c = new RawClient(port);
        c.expect("220");
        c.login(user);
        return c;
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one complete reply (the last line of a multi-line reply). */
    String reply() throws IOException {
        String line = line();
        if (line.length() > 3 && line.charAt(3) == '-') {
            String code = line.substring(0, 3) + " ";
            while (!line.startsWith(code)) {
                line = line();
            }
        }
        return line;
    }

    /** Reads one complete reply, all its lines. */
    String replyText() throws IOException {
        StringBuilder all = new StringBuilder();
        String line = line();
        all.append(line);
        if (line.length() > 3 && line.charAt(3) == '-') {
            String code = line.substring(0, 3) + " ";
            do {
                line = line();
                all.append('\n').append(line);
            } while (!line.startsWith(code) && !line.equals("<closed>"));
        }
        return all.toString();
    }

    /** The local address this connection comes from. */
    java.net.InetSocketAddress localAddress() {
        return (java.net.InetSocketAddress) socket.getLocalSocketAddress();
    }

    String expect(String code) throws IOException {
        String r = reply();
        if (!r.startsWith(code)) {
            throw new AssertionError("expected " + code + " but got: " + r);
        }
        return r;
    }

    /** Sends EPSV and returns the announced port. */
    int epsv() throws IOException {
        send("EPSV");
        String r = expect("229");
        return Integer.parseInt(r.substring(r.indexOf("|||") + 3, r.lastIndexOf('|')));
    }

    static byte[] readAll(int port) throws IOException {
        try (Socket data = new Socket("127.0.0.1", port)) {
            data.setSoTimeout(15_000);
            return data.getInputStream().readAllBytes();
        }
    }

    /**
     * Whether the server ends the connection (EOF or reset) without sending an FTP reply; TLS alert bytes may
     * come first.
     */
    boolean closedWithoutReply() throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) != -1) {
                got.write(c);
            }
        } catch (java.net.SocketException reset) {
            // a reset after the alert is a close too
        }
        return !got.toString(StandardCharsets.ISO_8859_1).matches("(?s).*\\d{3}[ -].*");
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            b.write(c);
        }
        if (c == -1 && b.size() == 0) {
            return "<closed>";
        }
        return b.toString(StandardCharsets.UTF_8).trim();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
