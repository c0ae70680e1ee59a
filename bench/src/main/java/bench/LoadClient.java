package bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The benchmark's FTPS load client for idle sessions (plain JDK, blocking sockets). Session set-up and small
 * files have a C client, src/main/c/ftps-load.c, which costs far less CPU than this one did for them.
 *
 * <pre>
 * LoadClient idle --port P --user U --pass W [--sessions 10000] [--threads 8]
 *     opens that many logged-in TLS sessions (PROT P), prints READY, waits for a line on stdin, then sends NOOP on
 *     every session and reports how many answered.
 * </pre>
 *
 * The measured window is marked on stdout by MEASURE_START / MEASURE_END lines (the runner samples the server's
 * CPU there) and the figures are printed as one "RESULT key=value ..." line, including this process's CPU seconds.
 */
public final class LoadClient {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        String host = o.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(o.getOrDefault("port", "2121"));
        String user = o.getOrDefault("user", "bench");
        String pass = o.getOrDefault("pass", "bench");
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        Client c = new Client(host, port, user, pass, tls);
        switch (args[0]) {
            case "idle" -> idle(c, Integer.parseInt(o.getOrDefault("sessions", "10000")),
                    Integer.parseInt(o.getOrDefault("threads", "8")));
            default -> throw new IllegalArgumentException("mode: idle");
        }
        System.exit(0);
    }

    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    static void mark(String s) {
        System.out.println(s);
        System.out.flush();
    }

    static String pct(List<Long> nanos) {
        long[] a = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        if (a.length == 0) return "p50_ms=nan p99_ms=nan";
        return String.format("p50_ms=%.3f p99_ms=%.3f", a[(int) Math.min(a.length - 1, a.length * 0.50)] / 1e6,
                a[(int) Math.min(a.length - 1, Math.ceil(a.length * 0.99) - 1)] / 1e6);
    }

    // ---- workload: many idle logged-in TLS sessions ----
    static void idle(Client c, int sessions, int threads) throws Exception {
        Session[] all = new Session[sessions];
        AtomicInteger next = new AtomicInteger(), failed = new AtomicInteger();
        AtomicReferenceString firstError = new AtomicReferenceString();
        long deadline = System.nanoTime() + 1800L * 1_000_000_000L;
        double cpu0 = cpuSeconds();
        long t0 = System.nanoTime();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < sessions && System.nanoTime() < deadline) {
                    try {
                        all[i] = c.login();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        firstError.set(e.toString());
                    }
                    if (i % 1000 == 999) System.err.println("idle: " + (i + 1) + " sessions opened");
                }
            });
            th.start();
            ts.add(th);
        }
        for (Thread th : ts) th.join();
        double openWall = (System.nanoTime() - t0) / 1e9;
        int open = 0;
        for (Session s : all) if (s != null) open++;
        mark(String.format("READY open=%d failed=%d open_wall_s=%.1f client_cpu_s=%.3f first_error=%s", open,
                failed.get(), openWall, cpuSeconds() - cpu0, firstError.get()));
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        int answered = 0, silent = 0;
        List<Long> lat = new ArrayList<>();
        for (Session s : all) {
            if (s == null) continue;
            long n0 = System.nanoTime();
            try {
                s.socket.setSoTimeout(10_000);
                s.cmd("NOOP", 200);
                answered++;
                lat.add(System.nanoTime() - n0);
            } catch (Exception e) {
                silent++;
                firstError.set("noop: " + e);
            }
        }
        mark(String.format("RESULT open=%d failed=%d noop_ok=%d noop_failed=%d %s open_wall_s=%.1f first_error=%s",
                open, failed.get(), answered, silent, pct(lat), openWall, firstError.get()));
        for (Session s : all) if (s != null) try { s.socket.close(); } catch (IOException ignored) { }
    }

    // ---- FTP plumbing ----
    static final class AtomicReferenceString {
        private volatile String v = "-";
        void set(String s) { if ("-".equals(v)) v = s.replace(' ', '_'); }
        String get() { return v; }
    }

    static final class Client {
        final String host, user, pass;
        final int port;
        final SSLContext tls;
        final SSLSocketFactory factory;

        Client(String host, int port, String user, String pass, SSLContext tls) {
            this.host = host; this.port = port; this.user = user; this.pass = pass; this.tls = tls;
            this.factory = tls.getSocketFactory();
        }

        Session connectTls() throws IOException {
            Socket raw = new Socket();
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(host, port), 10_000);
            raw.setSoTimeout(60_000);
            Session s = new Session(this, raw);
            s.reply(220);
            s.cmd("AUTH TLS", 234);
            SSLSocket ssl = (SSLSocket) factory.createSocket(raw, host, port, true);
            ssl.setUseClientMode(true);
            ssl.startHandshake();
            s.upgrade(ssl);
            return s;
        }

        Session login() throws IOException {
            Session s = connectTls();
            s.cmd("PBSZ 0", 200);
            s.cmd("PROT P", 200);
            s.cmd("USER " + user, 331);
            s.cmd("PASS " + pass, 230);
            return s;
        }
    }

    static final class Session {
        final Client client;
        Socket socket;
        InputStream in;
        OutputStream out;
        final byte[] line = new byte[8192];

        Session(Client client, Socket s) throws IOException {
            this.client = client;
            this.socket = s;
            this.in = new java.io.BufferedInputStream(s.getInputStream(), 4096);
            this.out = s.getOutputStream();
        }

        void upgrade(SSLSocket s) throws IOException {
            socket = s;
            in = new java.io.BufferedInputStream(s.getInputStream(), 4096);
            out = s.getOutputStream();
        }

        String readLine() throws IOException {
            int n = 0;
            while (true) {
                int b = in.read();
                if (b < 0) throw new IOException("control connection closed");
                if (b == '\n') break;
                if (n < line.length) line[n++] = (byte) b;
            }
            if (n > 0 && line[n - 1] == '\r') n--;
            return new String(line, 0, n, StandardCharsets.ISO_8859_1);
        }

        /** Reads one (possibly multi-line) reply and returns it; its code is the first three characters. */
        String reply() throws IOException {
            String first = readLine();
            if (first.length() >= 4 && first.charAt(3) == '-') {
                String code = first.substring(0, 3);
                String l;
                do { l = readLine(); } while (!(l.startsWith(code) && l.length() >= 4 && l.charAt(3) == ' '));
            }
            return first;
        }

        String reply(int expect) throws IOException {
            String r = reply();
            if (!r.startsWith(Integer.toString(expect))) throw new IOException("expected " + expect + ", got: " + r);
            return r;
        }

        void send(String command) throws IOException {
            out.write((command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        String cmd(String command, int expect) throws IOException {
            send(command);
            return reply(expect);
        }

        void quit() throws IOException {
            try { cmd("QUIT", 221); } finally { close(); }
        }

        void close() throws IOException {
            socket.close();
        }
    }

    static final class TrustAll implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] c, String a) { }
        public void checkServerTrusted(X509Certificate[] c, String a) { }
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
