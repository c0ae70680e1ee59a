package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static dev.wharf.launcher.LauncherProcess.SSL;
import static dev.wharf.launcher.LauncherProcess.USER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Client certificates with {@code client.auth = need}: a CA, server and client certificates made with the openssl
 * command, the CA in a PKCS12 truststore made with the JDK's keytool, the server's key material as PEM files.
 * curl (and lftp) with a certificate from that CA get in; without one, or with one from another CA, the TLS
 * handshake is refused. Users mapped to a certificate subject: certificate alone, or certificate and password.
 */
public class ClientCertificateIT {

    private static final String PASSWORD = "Cert-pass-7";
    private static final Duration START = Duration.ofSeconds(60);

    private static LauncherProcess wharf;
    private static Path pki;
    private static Path local;
    private static Path aliceHome;
    private static int explicitPort;
    private static int implicitPort;

    @BeforeClass
    public static void startWithClientCertificatesRequired() throws Exception {
        wharf = LauncherProcess.copyOfDistribution("clientcert");
        pki = Files.createDirectories(wharf.home().resolve("pki"));
        local = Files.createDirectories(wharf.home().resolve("local"));
        makePki();

        explicitPort = LauncherProcess.freePort();
        implicitPort = LauncherProcess.freePort();
        // only this test's listeners: not the shipped ones on 2121/2990
        wharf.deleteConfig(LISTENER, "default");
        wharf.deleteConfig(LISTENER, "implicit");
        wharf.writeConfig(SSL, "mtls", "certificate", pki.resolve("server.crt").toString(),
                "private.key", pki.resolve("server.key").toString(),
                "truststore", pki.resolve("trust.p12").toString(), "truststore.password", "changeit",
                "client.auth", "need");
        wharf.writeConfig(LISTENER, "mtls", "host", "127.0.0.1", "port", Integer.toString(explicitPort),
                "ssl.target", "(name=mtls)", "tls.required", "control");
        wharf.writeConfig(LISTENER, "mtls-implicit", "host", "127.0.0.1", "port", Integer.toString(implicitPort),
                "ssl.target", "(name=mtls)", "implicit.ssl", "true");
        aliceHome = Files.createDirectories(wharf.home().resolve("ftp/alice"));
        Files.createDirectories(wharf.home().resolve("ftp/bob"));
        // alice: password, and her certificate on top (the default certificate.login)
        wharf.writeConfig(USER, "alice", "password", PASSWORD, "home", aliceHome.toString(), "write", "true",
                "certificate.subject", "CN=alice,O=Wharf Tests");
        // bob: his certificate alone logs him in
        wharf.writeConfig(USER, "bob", "password", "Bob-unused-1", "home", wharf.home().resolve("ftp/bob").toString(),
                "certificate.subject", "CN=bob,O=Wharf Tests", "certificate.login", "certificate");
        wharf.start();
        // a probe without a client certificate cannot log in here: AUTH TLS accepted is the readiness signal,
        // then wait for a real client with a certificate to get through
        wharf.awaitFtp(explicitPort, false, false, null, null, START);
        awaitLogin(false, explicitPort);
        awaitLogin(true, implicitPort);
    }

    private static void awaitLogin(boolean implicit, int port) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        Clients.Result r;
        do {
            r = curl(implicit, port, "alice.crt", "alice:" + PASSWORD, "/");
        } while (r.exit() != 0 && System.nanoTime() < deadline && sleep());
        assertEquals("not ready: " + r + "\n" + wharf.diagnostics(), 0, r.exit());
    }

    @AfterClass
    public static void stop() throws Exception {
        if (wharf != null) {
            int exit = wharf.stop();
            assertTrue("exit status after SIGTERM: " + exit + "\n" + wharf.diagnostics(), exit == 143 || exit == 0);
        }
    }

    @Test
    public void curlWithAClientCertificateTransfersOverExplicitAndImplicit() throws Exception {
        Path file = Trees.randomFile(local.resolve("mtls.bin"), 654_321, 5);
        Clients.Result up = curl(false, explicitPort, "alice.crt", "alice:" + PASSWORD, "/", "-T", file.toString());
        assertEquals(up.toString(), 0, up.exit());
        Trees.assertSameFile(file, aliceHome.resolve("mtls.bin"));

        Path down = local.resolve("mtls.down");
        Clients.Result get = curl(true, implicitPort, "alice.crt", "alice:" + PASSWORD, "/mtls.bin",
                "-o", down.toString());
        assertEquals(get.toString(), 0, get.exit());
        assertTrue(get.toString(), get.err().contains("> PROT P"));
        Trees.assertSameFile(file, down);
    }

    @Test
    public void curlWithoutAClientCertificateIsRefused() throws Exception {
        Clients.Result explicit = curl(false, explicitPort, null, "alice:" + PASSWORD, "/");
        assertNotEquals(explicit.toString(), 0, explicit.exit());
        assertFalse(explicit.toString(), explicit.err().contains("< 230"));

        Clients.Result implicit = curl(true, implicitPort, null, "alice:" + PASSWORD, "/");
        assertNotEquals(implicit.toString(), 0, implicit.exit());
        assertFalse(implicit.toString(), implicit.err().contains("< 230"));
    }

    @Test
    public void aCertificateFromAnotherCaIsRefused() throws Exception {
        Clients.Result r = curl(false, explicitPort, "stranger.crt", "alice:" + PASSWORD, "/");
        assertNotEquals(r.toString(), 0, r.exit());
        assertFalse(r.toString(), r.err().contains("< 230"));
    }

    @Test
    public void theCertificateAloneLogsInAUserMappedToIt() throws Exception {
        Files.writeString(wharf.home().resolve("ftp/bob/bob.txt"), "bob's\n");
        Clients.Result r = curl(false, explicitPort, "bob.crt", "bob:", "/bob.txt");
        assertEquals(r.toString(), 0, r.exit());
        assertTrue(r.toString(), r.err().contains("logged in by client certificate"));
        assertEquals("bob's\n", r.out());
    }

    @Test
    public void aRightPasswordWithAnotherUsersCertificateIsRefused() throws Exception {
        // alice needs her certificate and her password: bob's certificate (trusted, but not hers) is not enough
        Clients.Result r = curl(false, explicitPort, "bob.crt", "alice:" + PASSWORD, "/");
        assertEquals(r.toString(), 67, r.exit()); // curl: login denied
        assertTrue(r.toString(), r.err().contains("< 530"));
    }

    @Test
    public void lftpWithAClientCertificateUploads() throws Exception {
        Path file = Trees.randomFile(local.resolve("lftp-mtls.bin"), 1_234_567, 6);
        Clients.Result r = Clients.lftp("ftp://127.0.0.1:" + explicitPort, "alice", PASSWORD,
                "set ssl:cert-file " + pki.resolve("alice.crt") + "; set ssl:key-file " + pki.resolve("alice.key")
                        + "; set ssl:ca-file " + pki.resolve("ca.crt") + "; set ssl:verify-certificate yes",
                "put " + file + " -o lftp-mtls.bin");
        assertEquals(r.toString(), 0, r.exit());
        Trees.assertSameFile(file, aliceHome.resolve("lftp-mtls.bin"));
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * curl verifying the server against the test CA (no -k), with the client certificate {@code cert} (and its
     * .key) from {@code pki/}, or none; {@code path} is the URL's path.
     */
    private static Clients.Result curl(boolean implicit, int port, String cert, String userPassword, String path,
            String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--cacert", pki.resolve("ca.crt").toString(), "-u",
                userPassword));
        if (!implicit) {
            args.add("--ssl-reqd");
        }
        if (cert != null) {
            args.addAll(List.of("--cert", pki.resolve(cert).toString(),
                    "--key", pki.resolve(cert.replace(".crt", ".key")).toString()));
        }
        args.addAll(List.of(more));
        args.add((implicit ? "ftps" : "ftp") + "://127.0.0.1:" + port + path);
        return Clients.curl(args.toArray(String[]::new));
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(500);
        return true;
    }

    /** A CA, a server certificate for 127.0.0.1, clients alice and bob; a stranger from a CA of its own. */
    private static void makePki() throws Exception {
        newCa("ca", "/CN=Wharf Test CA");
        newCa("other-ca", "/CN=Some Other CA");
        issue("ca", "server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1", "extendedKeyUsage=serverAuth");
        issue("ca", "alice", "/O=Wharf Tests/CN=alice", "extendedKeyUsage=clientAuth", "keyUsage=digitalSignature");
        issue("ca", "bob", "/O=Wharf Tests/CN=bob", "extendedKeyUsage=clientAuth", "keyUsage=digitalSignature");
        issue("other-ca", "stranger", "/O=Wharf Tests/CN=alice", "extendedKeyUsage=clientAuth",
                "keyUsage=digitalSignature");
        // a PKCS12 truststore holding only the CA certificate: keytool (openssl pkcs12 -nokeys makes one that
        // Java does not read as trusted entries)
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        ok(Clients.run(keytool.toString(), "-importcert", "-noprompt", "-alias", "wharf-test-ca",
                "-file", pki.resolve("ca.crt").toString(), "-keystore", pki.resolve("trust.p12").toString(),
                "-storetype", "PKCS12", "-storepass", "changeit"));
    }

    private static void newCa(String name, String subject) throws Exception {
        ok(Clients.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", pki.resolve(name + ".key").toString(), "-out", pki.resolve(name + ".crt").toString(),
                "-days", "2", "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
    }

    private static void issue(String ca, String name, String subject, String... extensions) throws Exception {
        List<String> req = new ArrayList<>(List.of("req", "-new", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", pki.resolve(name + ".key").toString(),
                "-out", pki.resolve(name + ".csr").toString(), "-subj", subject));
        for (String e : extensions) {
            req.addAll(List.of("-addext", e));
        }
        ok(Clients.openssl(req.toArray(String[]::new)));
        ok(Clients.openssl("x509", "-req", "-in", pki.resolve(name + ".csr").toString(),
                "-CA", pki.resolve(ca + ".crt").toString(), "-CAkey", pki.resolve(ca + ".key").toString(),
                "-CAcreateserial", "-days", "2", "-copy_extensions", "copy",
                "-out", pki.resolve(name + ".crt").toString()));
    }

    private static void ok(Clients.Result r) {
        assertEquals(r.toString(), 0, r.exit());
    }
}
