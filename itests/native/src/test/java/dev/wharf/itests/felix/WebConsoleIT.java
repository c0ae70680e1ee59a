package dev.wharf.itests.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.itests.support.WharfSupport;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Wharf configured the way a Felix Web Console user does it: the Configuration page's forms (built from Wharf's
 * MetaType), submitted over HTTP as the console's own script submits them, then used with a real FTPS client.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebConsoleIT {

    private static final String HTTP_PORT = "org.osgi.service.http.port";
    private static final String CONFIG_MGR = "/system/console/configMgr/";
    private static final String FTP_PAGE = "/system/console/ftp";
    private static final String ADMIN = "Basic "
            + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.US_ASCII));

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    private WharfSupport wharf;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() throws IOException {
        return options(
                LauncherBundles.felixWithWharf("webconsole"),
                frameworkProperty(HTTP_PORT).value(Integer.toString(freePort())),
                frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"),
                // the Web Console on Felix's Jetty
                mavenBundle("org.apache.felix", "org.apache.felix.http.servlet-api").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-api").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject().noStart(),
                mavenBundle("org.apache.felix", "org.apache.felix.http.jetty").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.inventory").versionAsInProject(),
                mavenBundle("org.owasp.encoder", "encoder").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.webconsole").versionAsInProject(),
                LauncherBundles.webConsolePage());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Before
    public void setUp() {
        wharf = new WharfSupport(context, cm);
    }

    @After
    public void tearDown() throws Exception {
        for (String name : new String[] {"console-tls", "console", "carla", "console-anon", "console-jaas"}) {
            Configuration[] made = cm.listConfigurations("(name=" + name + ")");
            for (Configuration c : made == null ? new Configuration[0] : made) {
                c.delete();
            }
        }
        wharf.close();
    }

    /** The forms a console user opens: titles, field ids, choices and the password field come from MetaType. */
    @Test
    public void theCreateFormsShowWharfsFields() throws Exception {
        awaitConsole();
        String listener = post(CONFIG_MGR + "dev.wharf.ftp.listener", Map.of("create", "true")).body;
        assertTrue(listener, listener.contains("Wharf FTP: listener"));
        for (String id : new String[] {"\"port\"", "\"ssl.target\"", "\"tls.required\"", "\"passive.ports\""}) {
            assertTrue(id + " in " + listener, listener.contains(id));
        }
        assertTrue("tls.required is a choice: " + listener, Pattern.compile(
                "\"tls\\.required\"[^}]*\"values\"\\s*:\\s*\\[\"none\",\"control\",\"all\"\\]")
                .matcher(listener).find());
        String user = post(CONFIG_MGR + "dev.wharf.ftp.user", Map.of("create", "true")).body;
        // type 12 is AttributeDefinition.PASSWORD: the console shows a password input and never the value
        assertTrue("the password field is a password input: " + user,
                Pattern.compile("\"password\"\\s*:\\s*\\{[^}]*\"type\"\\s*:\\s*12\\b").matcher(user).find());
        String ssl = post(CONFIG_MGR + "dev.wharf.ftp.ssl", Map.of("create", "true")).body;
        assertTrue(ssl, ssl.contains("Wharf FTP: TLS configuration"));
        for (String id : new String[] {"\"anonymous\"", "\"anonymous.root\"", "\"anonymous.incoming\""}) {
            assertTrue(id + " in " + listener, listener.contains(id));
        }
        String jaas = post(CONFIG_MGR + "dev.wharf.ftp.jaas", Map.of("create", "true")).body;
        assertTrue(jaas, jaas.contains("Wharf FTP: JAAS user store"));
        for (String id : new String[] {"\"realm\"", "\"login.config\"", "\"home\"", "\"home.create\"",
                "\"login.role\"", "\"write.role\"", "\"group.base\"", "\"timeout\"", "\"cache.seconds\"",
                "\"max.sessions\"", "\"certificate.subject\""}) {
            assertTrue(id + " in " + jaas, jaas.contains(id));
        }
        assertTrue("the store's tls.required is a choice: " + jaas, Pattern.compile(
                "\"tls\\.required\"[^}]*\"values\"\\s*:\\s*\\[\"none\",\"control\",\"all\"\\]")
                .matcher(jaas).find());
    }

    /**
     * A JAAS store saved from its form is stored typed as its MetaType says; a listener saved from its form with
     * anonymous access serves an anonymous FTPS download from the anonymous root.
     */
    @Test
    public void aJaasStoreAndAnonymousAccessSavedFromTheForms() throws Exception {
        awaitConsole();
        save("dev.wharf.ftp.jaas", "name", "console-jaas", "realm", "karaf", "home", "/srv/ftp/{user}",
                "home.create", "false", "timeout", "5", "login.role", "ftp-users");
        Configuration[] stores = cm.listConfigurations(
                "(&(service.factoryPid=dev.wharf.ftp.jaas)(name=console-jaas))");
        assertNotNull("the store saved from the form", stores);
        Dictionary<String, Object> store = wharf.stored(stores[0].getPid());
        assertEquals(Integer.valueOf(5), store.get("timeout"));
        assertEquals(Boolean.FALSE, store.get("home.create"));
        assertEquals("/srv/ftp/{user}", store.get("home"));

        Path root = wharf.dir("anonymous-console");
        java.nio.file.Files.createDirectories(root);
        byte[] readme = WharfSupport.randomBytes(2_000, 3);
        java.nio.file.Files.write(root.resolve("readme.bin"), readme);
        save("dev.wharf.ftp.ssl", "name", "console-tls", "self.signed", "true");
        save("dev.wharf.ftp.listener", "name", "console-anon", "host", "127.0.0.1", "port", "0",
                "ssl.target", "(name=console-tls)", "tls.required", "all", "anonymous", "true",
                "anonymous.root", root.toString());
        InetSocketAddress address = wharf.awaitListener("console-anon", FtpListener::tlsAvailable);
        FTPSClient client = wharf.ftps(address, false);
        WharfSupport.loginProtected(client, "anonymous", "console@example.org");
        java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
        assertTrue(client.getReplyString(), client.retrieveFile("readme.bin", back));
        org.junit.Assert.assertArrayEquals(readme, back.toByteArray());
        assertFalse("read-only", client.storeFile("up.bin", new java.io.ByteArrayInputStream(readme)));
        assertTrue(client.logout());
    }

    /**
     * An SSL configuration, a user and a listener created through the forms; then a client logs in over FTPS,
     * and the user's stored password is a hash, not the text typed into the form.
     */
    @Test
    public void configurationsSavedFromTheFormsServeFtps() throws Exception {
        awaitConsole();
        Path home = wharf.dir("home-console");
        java.nio.file.Files.createDirectories(home);
        save("dev.wharf.ftp.ssl", "name", "console-tls", "self.signed", "true");
        save("dev.wharf.ftp.user", "name", "carla", "password", "Carla-console-9", "home", home.toString(),
                "write", "true");
        save("dev.wharf.ftp.listener", "name", "console", "host", "127.0.0.1", "port", "0",
                "ssl.target", "(name=console-tls)", "tls.required", "control");

        InetSocketAddress address = wharf.awaitListener("console", FtpListener::tlsAvailable);
        FTPSClient client = wharf.ftps(address, false);
        WharfSupport.loginProtected(client, "carla", "Carla-console-9");
        WharfSupport.roundTrip(client, "from-console.bin", WharfSupport.randomBytes(30_000, 7), home);
        assertTrue(client.logout());

        Configuration[] users = cm.listConfigurations("(&(service.factoryPid=dev.wharf.ftp.user)(name=carla))");
        assertNotNull("the user saved from the form", users);
        assertEquals(1, users.length);
        String stored = wharf.awaitHashedPassword(users[0], "Carla-console-9");
        assertFalse(stored.contains("Carla-console-9"));
        Dictionary<String, Object> listener = wharf.stored(
                cm.listConfigurations("(&(service.factoryPid=dev.wharf.ftp.listener)(name=console))")[0].getPid());
        assertEquals("typed as the MetaType says", Integer.valueOf(0), listener.get("port"));
    }

    /**
     * The FTP page, over HTTP: the listener with its port and TLS, a live FTPS upload in the sessions table, the
     * certificate with its expiry; its kick button ends the session (the client gets 421, no partial file stays),
     * a kick without the page's token is refused, and nobody sees the page without the console's login. Then the
     * same page in a real headless browser (Chromium), whose rendering is checked and kept as a screenshot.
     */
    @Test
    public void theFtpPageShowsSessionsAndCertificatesAndKicks() throws Exception {
        awaitConsole();
        Path home = wharf.dir("home-page");
        java.nio.file.Files.createDirectories(home);
        wharf.factory("dev.wharf.ftp.ssl", "page-tls", "self.signed", Boolean.TRUE);
        wharf.user("pia", "Pia-page-7", home);
        wharf.listener("page", "ssl.target", "(name=page-tls)");
        InetSocketAddress address = wharf.awaitListener("page", FtpListener::tlsAvailable);
        FTPSClient client = wharf.ftps(address, false);
        WharfSupport.loginProtected(client, "pia", "Pia-page-7");
        OutputStream upload = client.storeFileStream("page-upload.bin");
        assertNotNull(client.getReplyString(), upload);
        upload.write(new byte[300_000]);
        upload.flush();
        FtpListener listener = wharf.listenerService("page");
        String id = awaitUploadingSession(listener);

        Response page = request("GET", FTP_PAGE, null);
        assertEquals(page.body, 200, page.status);
        assertTrue("the listener with its port: " + page.body,
                page.body.contains("<td>page</td><td>127.0.0.1:" + address.getPort() + "</td><td>available</td>"));
        Matcher row = Pattern.compile("<tr class='wharf-session' data-session='" + Pattern.quote(id)
                + "'>(.*?)</tr>").matcher(page.body);
        assertTrue("a row for session " + id + ": " + page.body, row.find());
        assertTrue(row.group(1), row.group(1).contains("<td>pia</td>"));
        assertTrue(row.group(1), row.group(1).contains("upload /page-upload.bin"));
        assertTrue(row.group(1), row.group(1).contains("TLSv1."));
        assertTrue("the certificate of page-tls with its expiry: " + page.body, Pattern.compile(
                "<td>page-tls</td><td>[^<]*CN=[^<]+</td><td>\\d{4}-\\d{2}-\\d{2} [^<]+</td><td>\\d+</td>")
                .matcher(page.body).find());
        assertEquals("no page without the console's login", 401,
                request("GET", FTP_PAGE, null, null).status);
        assertEquals("a kick without the page's token", 403,
                post(FTP_PAGE, Map.of("action", "kick", "session", id, "token", "forged")).status);

        screenshot(id);

        Matcher token = Pattern.compile("name='token' value='([0-9a-f]+)'").matcher(page.body);
        assertTrue(token.find());
        Response kicked = post(FTP_PAGE, Map.of("action", "kick", "session", id, "token", token.group(1)));
        assertEquals(kicked.body, 303, kicked.status);
        try {
            for (int i = 0; i < 200; i++) {
                upload.write(new byte[64 * 1024]);
                Thread.sleep(10);
            }
            fail("the upload went on after the kick");
        } catch (IOException expected) {
            // its data connection was closed
        }
        try {
            client.completePendingCommand();
            client.noop();
            fail("no 421 after the kick: " + client.getReplyString());
        } catch (org.apache.commons.net.ftp.FTPConnectionClosedException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("421"));
        }
        String after = request("GET", FTP_PAGE + "?message=" + URLEncoder.encode("Ended session " + id + ".",
                StandardCharsets.UTF_8), null).body;
        assertTrue(after, after.contains("Ended session " + id));
        long end = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS;
        String[] left;
        do {
            left = home.toFile().list();
            if (left != null && left.length == 0) {
                break;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < end);
        assertEquals("no partial upload in " + home + ": " + java.util.Arrays.toString(left), 0, left.length);
    }

    private static String awaitUploadingSession(FtpListener listener) throws Exception {
        long end = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            for (dev.wharf.ftp.api.FtpSessionInfo s : listener.sessions()) {
                if (s.transfer() != null && s.transfer().bytes() > 0) {
                    return s.id();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no upload in the session view: " + listener.sessions());
    }

    /**
     * The page in Chromium from Debian, headless: the DOM it built holds the session's row with its Kick button,
     * and its screenshot is kept in target/. No Chromium is a failure, not a skip: .ci/run installs it.
     */
    private void screenshot(String sessionId) throws Exception {
        String browser = java.util.stream.Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser")
                .filter(p -> new File(p).canExecute()).findFirst()
                .orElseThrow(() -> new AssertionError("Chromium is not installed (apt-get install -y chromium; "
                        + ".ci/run does this): the FTP page must be checked in a real browser"));
        File dir = new File(System.getProperty("wharf.itest.dir", "target/itest"));
        File png = new File(dir, "webconsole-ftp-page.png");
        File profile = new File(dir, "chromium-profile");
        String url = "http://admin:admin@127.0.0.1:" + context.getProperty(HTTP_PORT) + FTP_PAGE;
        List<String> common = List.of(browser, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.getAbsolutePath(), "--window-size=1400,1000");
        String dom = runBrowser(concat(common, "--dump-dom", url));
        assertTrue("the page as Chromium built it has the session's row: " + dom,
                dom.contains("data-session=\"" + sessionId + "\"") && dom.contains("wharf-kick"));
        runBrowser(concat(common, "--screenshot=" + png.getAbsolutePath(), url));
        assertTrue("a screenshot at " + png, png.isFile() && png.length() > 10_000);
        byte[] head = java.nio.file.Files.readAllBytes(png.toPath());
        assertEquals("a PNG", (byte) 0x89, head[0]);
        System.out.println("screenshot of the FTP page: " + png.getAbsolutePath());
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private static String runBrowser(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue("Chromium did not finish within 60 s: " + command,
                p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        String output = new String(out, StandardCharsets.UTF_8);
        assertEquals(command + " failed: " + output + new String(err.get(), StandardCharsets.UTF_8), 0, p.exitValue());
        return output;
    }

    /** Saves a new factory configuration the way the console's script does: placeholder PID, then apply. */
    private void save(String factoryPid, String... keyValues) throws Exception {
        String form = post(CONFIG_MGR + factoryPid, Map.of("create", "true")).body;
        Matcher pid = Pattern.compile("\"pid\"\\s*:\\s*\"([^\"]+)\"").matcher(form);
        assertTrue("no placeholder pid in " + form, pid.find());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("apply", "true");
        params.put("factoryPid", factoryPid);
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            names.append(names.length() == 0 ? "" : ",").append(keyValues[i]);
            params.put(keyValues[i], keyValues[i + 1]);
        }
        params.put("propertylist", names.toString());
        Response r = post(CONFIG_MGR + URLEncoder.encode(pid.group(1), StandardCharsets.UTF_8).replace("+", "%20"),
                params);
        assertTrue("saving " + factoryPid + ": HTTP " + r.status + " " + r.body, r.status == 200 || r.status == 302);
    }

    private void awaitConsole() throws Exception {
        long end = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS * 2;
        String last = "";
        while (System.currentTimeMillis() < end) {
            try {
                Response r = request("GET", "/system/console/configMgr", null);
                if (r.status == 200 && r.body.contains("Wharf FTP: listener")) {
                    return;
                }
                last = "HTTP " + r.status;
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        fail("the Web Console's configuration page did not list Wharf's configurations: " + last);
    }

    private Response post(String path, Map<String, String> params) throws IOException {
        StringBuilder body = new StringBuilder();
        params.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return request("POST", path, body.toString());
    }

    private Response request(String method, String path, String form) throws IOException {
        return request(method, path, form, ADMIN);
    }

    private Response request(String method, String path, String form, String authorization) throws IOException {
        URI uri = URI.create("http://127.0.0.1:" + context.getProperty(HTTP_PORT) + path);
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(5000);
        c.setReadTimeout(15000);
        c.setRequestMethod(method);
        if (authorization != null) {
            c.setRequestProperty("Authorization", authorization);
        }
        if (form != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
            try (OutputStream out = c.getOutputStream()) {
                out.write(form.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        c.disconnect();
        return new Response(status, body);
    }

    private static final class Response {
        final int status;
        final String body;

        Response(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }
}
