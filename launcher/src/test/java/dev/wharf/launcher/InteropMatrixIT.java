package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static dev.wharf.launcher.LauncherProcess.SSL;
import static dev.wharf.launcher.LauncherProcess.USER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/**
 * "FTPS the way strict servers and real clients need it": curl (OpenSSL), lftp (GnuTLS), Python's ftplib (with
 * and without passing the control session to the data connection) and openssl s_client against one launcher,
 * over explicit and implicit listeners with {@code tls.session.reuse} required and allowed, PROT P and C, PASV,
 * EPSV, PORT and EPRT, TLS 1.2 and 1.3. A representative set, not the full product: every value of every
 * dimension appears with each client that supports it.
 *
 * <p>Each transfer case uploads a file, downloads it again and compares both copies byte for byte. The expected
 * outcome follows one rule: a PROT P data connection on a TLS 1.2 control session of a {@code required}
 * listener must resume that session, or the server refuses it (425); on TLS 1.3 the server cannot check
 * resumption (BCJSSE does not resume TLS 1.3) and accepts. The launcher runs on this test's JVM: with
 * {@code -Pvirtual-threads}, one from a Java 21+ toolchain (virtual-thread sessions), else the build's JDK.
 *
 * <p>The observed results are written to {@code target/it/interop-matrix.md} (the source of docs/interop.md).
 */
@RunWith(Parameterized.class)
public class InteropMatrixIT {

    enum Client {
        CURL("curl"), CURL_NO_SESSIONID("curl --no-sessionid"), LFTP("lftp"),
        LFTP_NO_COPY_SID("lftp ftp:ssl-copy-sid no"), FTPLIB("ftplib FTP_TLS"),
        FTPLIB_SESSION("ftplib + session="), OPENSSL("openssl s_client");

        final String label;

        Client(String label) {
            this.label = label;
        }

        /** Whether its data connections resume the control connection's TLS session. */
        boolean resumes() {
            return this == CURL || this == LFTP || this == FTPLIB_SESSION;
        }
    }

    /** The listeners of this launcher: {@code etc/dev.wharf.ftp.listener-<name>.cfg}. */
    enum Listener {
        EXPLICIT_REQUIRED("default", false, "required", "default"),
        IMPLICIT_REQUIRED("implicit", true, "required", "default"),
        EXPLICIT_ALLOWED("lenient", false, "allowed", "default"),
        IMPLICIT_ALLOWED("lenient-implicit", true, "allowed", "default"),
        /** Its ssl configuration has {@code protocols = TLSv1.2}. */
        EXPLICIT_TLS12_ONLY("tls12", false, "required", "tls12");

        final String cfgName;
        final boolean implicit;
        final String reuse;
        final String ssl;

        Listener(String cfgName, boolean implicit, String reuse, String ssl) {
            this.cfgName = cfgName;
            this.implicit = implicit;
            this.reuse = reuse;
            this.ssl = ssl;
        }

        String label() {
            return (implicit ? "implicit" : "explicit") + ", reuse=" + reuse
                    + ("tls12".equals(ssl) ? ", ssl protocols=TLSv1.2" : "");
        }
    }

    /** The client's TLS limit: 1.2 at most, 1.3 only, or whatever the server offers. */
    enum Tls {
        V1_1("1.1"), V1_2("1.2"), V1_3("1.3"), ANY("any");

        final String label;

        Tls(String label) {
            this.label = label;
        }
    }

    enum Data {
        PASV, EPSV, PORT, EPRT, NONE
    }

    enum Outcome {
        /** everything transferred, both copies byte-equal */
        PASS,
        /** the server refused as it should: a 425 on the data connection, or a TLS protocol_version alert */
        REFUSED,
        /** the client cannot do it: a bug of this client version, not of the server */
        CLIENT_BUG
    }

    private static final String USER_NAME = "matrix";
    private static final String PASSWORD = "Matrix-pass-42";
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern CURL_VERSION = Pattern.compile("^curl (\\d+)\\.(\\d+)");
    private static final String REFUSAL_LOG = "did not resume the control connection's TLS session";

    private static LauncherProcess wharf;
    private static Path ftpHome;
    private static Path local;
    private static boolean curlActiveTlsBroken;
    private static final Map<Integer, String> RESULTS = new TreeMap<>();
    private static final Map<Listener, Integer> PORTS = new EnumMap<>(Listener.class);

    @Parameter(0)
    public String name;
    @Parameter(1)
    public int index;
    @Parameter(2)
    public Client client;
    @Parameter(3)
    public Listener listener;
    @Parameter(4)
    public Tls tls;
    @Parameter(5)
    public String prot;
    @Parameter(6)
    public Data data;

    @Parameters(name = "{0}")
    public static Collection<Object[]> cases() {
        List<Object[]> cases = new ArrayList<>();
        Listener er = Listener.EXPLICIT_REQUIRED;
        Listener ir = Listener.IMPLICIT_REQUIRED;
        Listener ea = Listener.EXPLICIT_ALLOWED;
        Listener ia = Listener.IMPLICIT_ALLOWED;
        Listener t12 = Listener.EXPLICIT_TLS12_ONLY;
        // curl (OpenSSL): resumes the control session on data connections
        add(cases, Client.CURL, er, Tls.V1_2, "P", Data.EPSV);
        add(cases, Client.CURL, ir, Tls.V1_2, "P", Data.PASV);
        add(cases, Client.CURL, er, Tls.V1_3, "P", Data.PASV);
        add(cases, Client.CURL, ia, Tls.V1_3, "P", Data.EPSV);
        add(cases, Client.CURL, ea, Tls.V1_2, "C", Data.EPRT);
        add(cases, Client.CURL, ir, Tls.V1_3, "C", Data.PORT);
        add(cases, Client.CURL, er, Tls.V1_2, "P", Data.PORT);
        add(cases, Client.CURL, ir, Tls.V1_3, "P", Data.EPRT);
        add(cases, Client.CURL, t12, Tls.ANY, "P", Data.EPSV);
        add(cases, Client.CURL_NO_SESSIONID, er, Tls.V1_2, "P", Data.EPSV);
        add(cases, Client.CURL_NO_SESSIONID, ea, Tls.V1_2, "P", Data.PASV);
        add(cases, Client.CURL_NO_SESSIONID, ir, Tls.V1_3, "P", Data.EPSV);
        // lftp (GnuTLS): no EPRT over IPv4 (it sends EPRT only for IPv6)
        add(cases, Client.LFTP, er, Tls.V1_2, "P", Data.PASV);
        add(cases, Client.LFTP, ir, Tls.V1_2, "P", Data.EPSV);
        add(cases, Client.LFTP, er, Tls.V1_3, "P", Data.PORT);
        add(cases, Client.LFTP, ia, Tls.V1_3, "P", Data.PASV);
        add(cases, Client.LFTP, ea, Tls.V1_2, "C", Data.PORT);
        add(cases, Client.LFTP, ir, Tls.V1_3, "C", Data.EPSV);
        add(cases, Client.LFTP, t12, Tls.ANY, "P", Data.EPSV);
        add(cases, Client.LFTP_NO_COPY_SID, er, Tls.V1_2, "P", Data.PASV);
        add(cases, Client.LFTP_NO_COPY_SID, ea, Tls.V1_2, "P", Data.EPSV);
        add(cases, Client.LFTP_NO_COPY_SID, er, Tls.V1_3, "P", Data.EPSV);
        // ftplib FTP_TLS: never passes the control session to the data connection
        add(cases, Client.FTPLIB, er, Tls.V1_2, "P", Data.PASV);
        add(cases, Client.FTPLIB, ir, Tls.V1_2, "P", Data.PORT);
        add(cases, Client.FTPLIB, t12, Tls.ANY, "P", Data.EPSV);
        add(cases, Client.FTPLIB, er, Tls.V1_3, "P", Data.EPSV);
        add(cases, Client.FTPLIB, ia, Tls.V1_2, "P", Data.EPRT);
        add(cases, Client.FTPLIB, ea, Tls.V1_2, "P", Data.PASV);
        add(cases, Client.FTPLIB, er, Tls.V1_2, "C", Data.PORT);
        add(cases, Client.FTPLIB, ir, Tls.V1_3, "C", Data.EPRT);
        // ftplib subclass: wrap_socket(conn, session=self.sock.session)
        add(cases, Client.FTPLIB_SESSION, er, Tls.V1_2, "P", Data.EPSV);
        add(cases, Client.FTPLIB_SESSION, ir, Tls.V1_2, "P", Data.PORT);
        add(cases, Client.FTPLIB_SESSION, ea, Tls.V1_3, "P", Data.EPRT);
        add(cases, Client.FTPLIB_SESSION, ir, Tls.V1_3, "P", Data.PASV);
        add(cases, Client.FTPLIB_SESSION, t12, Tls.ANY, "P", Data.PASV);
        add(cases, Client.FTPLIB_SESSION, er, Tls.V1_2, "C", Data.EPRT);
        // openssl s_client: the handshake only (protocol, cipher, refused versions)
        add(cases, Client.OPENSSL, er, Tls.V1_2, "-", Data.NONE);
        add(cases, Client.OPENSSL, er, Tls.V1_3, "-", Data.NONE);
        add(cases, Client.OPENSSL, ir, Tls.V1_2, "-", Data.NONE);
        add(cases, Client.OPENSSL, ia, Tls.V1_3, "-", Data.NONE);
        add(cases, Client.OPENSSL, er, Tls.V1_1, "-", Data.NONE);
        add(cases, Client.OPENSSL, ir, Tls.V1_1, "-", Data.NONE);
        add(cases, Client.OPENSSL, t12, Tls.V1_3, "-", Data.NONE);
        add(cases, Client.OPENSSL, t12, Tls.ANY, "-", Data.NONE);
        return cases;
    }

    private static void add(List<Object[]> cases, Client client, Listener listener, Tls tls, String prot, Data data) {
        int index = cases.size() + 1;
        String name = String.format("%02d %s, %s, TLS %s, PROT %s, %s", index, client.label, listener.label(),
                tls.label, prot, data);
        cases.add(new Object[] {name, index, client, listener, tls, prot, data});
    }

    @BeforeClass
    public static void startLauncher() throws Exception {
        wharf = LauncherProcess.copyOfDistribution("matrix");
        ftpHome = wharf.home().resolve("ftp/" + USER_NAME);
        Files.createDirectories(ftpHome);
        local = Files.createDirectories(wharf.home().resolve("local"));

        // ssl "default" as shipped (self-signed); "tls12": its own self-signed certificate, TLS 1.2 only
        wharf.writeConfig(SSL, "tls12", "self.signed", "true", "protocols", "TLSv1.2");
        for (Listener l : Listener.values()) {
            PORTS.put(l, LauncherProcess.freePort());
            wharf.writeConfig(LISTENER, l.cfgName, "host", "127.0.0.1", "port", Integer.toString(PORTS.get(l)),
                    "implicit.ssl", Boolean.toString(l.implicit), "tls.session.reuse", l.reuse,
                    "ssl.target", "(name=" + l.ssl + ")");
        }
        // a user with a clear-text password: the server must replace it by its hash
        wharf.writeConfig(USER, USER_NAME, "password", PASSWORD, "home", ftpHome.toString(), "write", "true");
        wharf.start();
        for (Listener l : Listener.values()) {
            wharf.awaitFtp(PORTS.get(l), l.implicit, true, USER_NAME, PASSWORD, START);
        }
        assertPasswordHashedOnDisk();
        String threads = wharf.expectedSessionThreads();
        assertTrue(threads + " expected\n" + wharf.stderr(), wharf.stderr().contains(threads));

        String version = Clients.version("curl", "--version");
        Matcher m = CURL_VERSION.matcher(version);
        assertTrue(version, m.find());
        // curl 7.87/7.88 lost TLS on active-mode data connections (curl #10666, fixed in 8.0 by #10669)
        curlActiveTlsBroken = Integer.parseInt(m.group(1)) < 8;
    }

    /** The user file was written with a clear-text password: the server must have replaced it by its hash. */
    private static void assertPasswordHashedOnDisk() throws Exception {
        Path cfg = wharf.configFile(USER, USER_NAME);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String text = Files.readString(cfg, StandardCharsets.UTF_8);
        while (text.contains(PASSWORD) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            text = Files.readString(cfg, StandardCharsets.UTF_8);
        }
        assertFalse("clear-text password still in " + cfg + ":\n" + text, text.contains(PASSWORD));
        assertTrue(text, text.matches("(?s).*password\\s*=\\s*\\$argon2id\\$.*"));
    }

    @AfterClass
    public static void stopLauncherAndWriteResults() throws Exception {
        try {
            if (wharf != null) {
                int exit = wharf.stop();
                assertTrue("exit status after SIGTERM: " + exit + "\n" + wharf.diagnostics(), exit == 143 || exit == 0);
            }
        } finally {
            writeResults();
        }
    }

    @Test
    public void transferOrHandshake() throws Exception {
        Outcome expected = expected();
        String observed = switch (client) {
            case CURL, CURL_NO_SESSIONID -> curl(expected);
            case LFTP, LFTP_NO_COPY_SID -> lftp(expected);
            case FTPLIB, FTPLIB_SESSION -> ftplib(expected);
            case OPENSSL -> openssl(expected);
        };
        record(expected, observed);
    }

    /** The rule this matrix checks (see the class comment). */
    private Outcome expected() {
        if (client == Client.OPENSSL) {
            boolean versionRefused = tls == Tls.V1_1 || (listener == Listener.EXPLICIT_TLS12_ONLY && tls == Tls.V1_3);
            return versionRefused ? Outcome.REFUSED : Outcome.PASS;
        }
        if (client == Client.CURL && curlActiveTlsBroken && "P".equals(prot)
                && (data == Data.PORT || data == Data.EPRT)) {
            return Outcome.CLIENT_BUG;
        }
        boolean tls12 = tls == Tls.V1_2 || listener == Listener.EXPLICIT_TLS12_ONLY;
        boolean mustResume = "P".equals(prot) && "required".equals(listener.reuse) && tls12;
        return mustResume && !client.resumes() ? Outcome.REFUSED : Outcome.PASS;
    }

    private String negotiated() {
        return tls == Tls.V1_3 ? "TLSv1.3" : "TLSv1.2"; // ANY: only on the TLS 1.2-only listener
    }

    // --- curl ----------------------------------------------------------------------------------------------

    private String curl(Outcome expected) throws Exception {
        Path file = Trees.randomFile(local.resolve(fileName()), 300_000 + index, index);
        Path down = local.resolve(fileName() + ".down");
        String url = (listener.implicit ? "ftps" : "ftp") + "://127.0.0.1:" + port() + "/" + fileName();
        List<String> options = new ArrayList<>(List.of("-k", "-u", USER_NAME + ":" + PASSWORD));
        if ("C".equals(prot)) {
            options.add("--ftp-ssl-control"); // TLS for the control connection only: PROT C
        } else if (!listener.implicit) {
            options.add("--ssl-reqd");
        }
        switch (tls) {
            case V1_2 -> options.addAll(List.of("--tls-max", "1.2"));
            case V1_3 -> options.add("--tlsv1.3");
            default -> { }
        }
        switch (data) {
            case PASV -> options.add("--disable-epsv");
            case PORT -> options.addAll(List.of("-P", "127.0.0.1", "--disable-eprt"));
            case EPRT -> options.addAll(List.of("-P", "127.0.0.1"));
            default -> { } // EPSV is curl's default
        }
        if (client == Client.CURL_NO_SESSIONID) {
            options.add("--no-sessionid");
        }
        int refusalsBefore = count(wharf.stderr(), REFUSAL_LOG);

        List<String> upload = new ArrayList<>(options);
        upload.addAll(List.of("-T", file.toString(), url));
        Clients.Result up = Clients.curl(upload.toArray(String[]::new));
        assertTrue(up.toString(), up.err().contains("> PROT " + prot));
        assertTrue(up.toString(), up.err().contains("> " + data + (data == Data.EPSV || data == Data.PASV ? "" : " ")));
        assertTrue(up.toString(), up.err().contains("SSL connection using " + negotiated()));
        switch (expected) {
            case REFUSED -> {
                assertNotEquals(up.toString(), 0, up.exit());
                assertEquals("refusals in the server log", refusalsBefore + 1, count(wharf.stderr(), REFUSAL_LOG));
                assertFalse("refused upload left a file", Files.exists(ftpHome.resolve(fileName())));
                return "refused as intended (curl exit " + up.exit() + ", server log: data connection refused)";
            }
            case CLIENT_BUG -> {
                // curl sends clear data on a PROT P active data connection; the server's TLS handshake fails
                assertNotEquals(up.toString(), 0, up.exit());
                assertFalse("a broken upload left a file", Files.exists(ftpHome.resolve(fileName())));
                Clients.Result after = Clients.curl("-k", "--ssl-reqd", "-u", USER_NAME + ":" + PASSWORD,
                        "ftp://127.0.0.1:" + PORTS.get(Listener.EXPLICIT_REQUIRED) + "/");
                assertEquals("server still serves after the broken client\n" + after, 0, after.exit());
                return "fails: curl exit " + up.exit()
                        + " (curl < 8.0 bug #10666: no TLS on active data connections)";
            }
            default -> {
            }
        }
        assertEquals(up.toString(), 0, up.exit());
        Trees.assertSameFile(file, ftpHome.resolve(fileName()));

        List<String> download = new ArrayList<>(options);
        download.addAll(List.of("-o", down.toString(), url));
        Clients.Result get = Clients.curl(download.toArray(String[]::new));
        assertEquals(get.toString(), 0, get.exit());
        Trees.assertSameFile(file, down);
        return "pass (" + negotiated() + ")";
    }

    // --- lftp ----------------------------------------------------------------------------------------------

    private String lftp(Outcome expected) throws Exception {
        // TLS 1.3 uploads once got truncated by servers that did not close with close_notify: a large file
        int size = tls == Tls.V1_3 ? 4 * 1024 * 1024 + index : 400_000 + index;
        Path file = Trees.randomFile(local.resolve(fileName()), size, index);
        Path down = local.resolve(fileName() + ".down");
        String url = (listener.implicit ? "ftps" : "ftp") + "://127.0.0.1:" + port();
        List<String> settings = new ArrayList<>();
        switch (tls) {
            case V1_2 -> settings.add("set ssl:priority NORMAL:-VERS-ALL:+VERS-TLS1.2");
            case V1_3 -> settings.add("set ssl:priority NORMAL:-VERS-ALL:+VERS-TLS1.3");
            default -> { }
        }
        settings.add("set ftp:ssl-protect-data " + ("P".equals(prot) ? "yes" : "no"));
        switch (data) {
            case PASV -> settings.add("set ftp:passive-mode on; set ftp:prefer-epsv no");
            case EPSV -> settings.add("set ftp:passive-mode on; set ftp:prefer-epsv yes");
            case PORT -> settings.add("set ftp:passive-mode off");
            default -> throw new IllegalArgumentException("lftp sends EPRT only over IPv6");
        }
        settings.add("set ftp:ssl-copy-sid " + (client == Client.LFTP_NO_COPY_SID ? "no" : "yes"));

        int refusalsBefore = count(wharf.stderr(), REFUSAL_LOG);
        Clients.Result r = Clients.lftp(url, USER_NAME, PASSWORD, String.join("; ", settings),
                "put " + file + " -o " + fileName() + "; get " + fileName() + " -o " + down);
        // implicit: lftp assumes protected data and only sends PROT to change it
        if (!listener.implicit || "C".equals(prot)) {
            assertTrue(r.toString(), r.err().contains("---> PROT " + prot));
        }
        assertTrue(r.toString(), r.err().contains("---> " + data));
        if (expected == Outcome.REFUSED) {
            // lftp may still be writing when the server drops the refused data connection: then it sees the
            // broken connection before the 425 reply, and retries. The server's log has the refusal either way.
            assertNotEquals(r.toString(), 0, r.exit());
            int refusals = count(wharf.stderr(), REFUSAL_LOG) - refusalsBefore;
            assertTrue("refusals in the server log: " + refusals + "\n" + r, refusals >= 1);
            assertFalse("refused upload left a file", Files.exists(ftpHome.resolve(fileName())));
            return "refused as intended (data connection refused " + refusals + "x, lftp "
                    + (r.err().contains("<--- 425 ") ? "read the 425" : "saw the connection drop before the 425")
                    + ")";
        }
        assertEquals(r.toString(), 0, r.exit());
        Trees.assertSameFile(file, ftpHome.resolve(fileName()));
        Trees.assertSameFile(file, down);
        return "pass (" + size + " bytes up and down, byte-equal)";
    }

    // --- Python ftplib -------------------------------------------------------------------------------------

    private String ftplib(Outcome expected) throws Exception {
        Path file = Trees.randomFile(local.resolve(fileName()), 250_000 + index, index);
        Path down = local.resolve(fileName() + ".down");
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port()), "--user", USER_NAME,
                "--password", PASSWORD, "--prot", prot, "--mode", data.name().toLowerCase(),
                "--tls", tls.label, "--upload", file.toString(), "--download", fileName(), down.toString()));
        if (listener.implicit) {
            args.add("--implicit");
        }
        if (client == Client.FTPLIB_SESSION) {
            args.add("--reuse");
        }
        Clients.Result r = Clients.python(args.toArray(String[]::new));
        assertTrue(r.toString(), r.out().contains("CONTROL " + negotiated()));
        if (expected == Outcome.REFUSED) {
            assertEquals(r.toString(), 4, r.exit());
            assertTrue(r.toString(), r.out().contains("REPLY 425 "));
            assertFalse("refused upload left a file", Files.exists(ftpHome.resolve(fileName())));
            return "refused as intended (425 on the data connection)";
        }
        assertEquals(r.toString(), 0, r.exit());
        Trees.assertSameFile(file, ftpHome.resolve(fileName()));
        Trees.assertSameFile(file, down);
        if ("P".equals(prot)) {
            // the data connection's own view: TLS 1.2 resumed when the client offered the session; TLS 1.3 never
            boolean resumed = client == Client.FTPLIB_SESSION && negotiated().equals("TLSv1.2");
            assertTrue(r.toString(), r.out().contains("DATA " + negotiated() + (resumed ? " reused" : " new-session")));
            return "pass (" + negotiated() + ", data session " + (resumed ? "resumed" : "not resumed") + ")";
        }
        return "pass (" + negotiated() + " control, clear data)";
    }

    // --- openssl s_client ----------------------------------------------------------------------------------

    private String openssl(Outcome expected) throws Exception {
        List<String> args = new ArrayList<>(List.of("s_client", "-connect", "127.0.0.1:" + port()));
        if (!listener.implicit) {
            args.addAll(List.of("-starttls", "ftp"));
        }
        switch (tls) {
            // OpenSSL 3 refuses TLS 1.1 itself at its default security level: lower it, so the server decides
            case V1_1 -> args.addAll(List.of("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"));
            case V1_2 -> args.add("-tls1_2");
            case V1_3 -> args.add("-tls1_3");
            default -> { }
        }
        Clients.Result r = Clients.openssl(args.toArray(String[]::new));
        if (expected == Outcome.REFUSED) {
            assertNotEquals(r.toString(), 0, r.exit());
            assertTrue("the server answers with a protocol_version alert\n" + r,
                    r.err().contains("alert protocol version"));
            assertTrue(r.toString(), r.out().contains("Cipher is (NONE)"));
            return "refused as intended (protocol_version alert)";
        }
        assertEquals(r.toString(), 0, r.exit());
        Matcher m = Pattern.compile("New, (TLSv1\\.[23]), Cipher is (\\S+)").matcher(r.out());
        assertTrue(r.toString(), m.find());
        assertEquals(r.toString(), negotiated(), m.group(1));
        // AES-GCM only: BCJSSE over the JDK's AES-GCM, no ChaCha20, no CBC
        assertTrue(r.toString(), m.group(2).matches(
                "(ECDHE-(ECDSA|RSA)-AES(128|256)-GCM-SHA(256|384)|TLS_AES_(128|256)_GCM_SHA(256|384))"));
        return "pass (" + m.group(1) + ", " + m.group(2) + ")";
    }

    // ---------------------------------------------------------------------------------------------------------

    private int port() {
        return PORTS.get(listener);
    }

    private String fileName() {
        return String.format("case-%02d.bin", index);
    }

    private void record(Outcome expected, String observed) {
        String mode = client == Client.OPENSSL ? "handshake" : "PROT " + prot + ", " + data;
        synchronized (RESULTS) {
            RESULTS.put(index, "| " + index + " | " + client.label + " | " + listener.label() + " | " + tls.label
                    + " | " + mode + " | " + expected + " | " + observed + " |");
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static void writeResults() throws IOException {
        StringBuilder md = new StringBuilder("# Interop matrix, as observed\n\n");
        md.append("- ").append(Clients.version("curl", "--version")).append('\n');
        md.append("- ").append(Clients.version("lftp", "--version")).append('\n');
        md.append("- ").append(Clients.version("python3", "-c",
                "import ssl, sys; print('Python', sys.version.split()[0], ssl.OPENSSL_VERSION)")).append('\n');
        md.append("- ").append(Clients.version("openssl", "version")).append('\n');
        md.append("- server JVM: ").append(wharf == null ? "?" : wharf.javaHome()).append("\n\n");
        md.append("| # | client | listener | client TLS | mode | expected | observed |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        synchronized (RESULTS) {
            RESULTS.values().forEach(row -> md.append(row).append('\n'));
        }
        Path out = Path.of(System.getProperty("wharf.it.dir", "target/it"), "interop-matrix.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
    }
}
