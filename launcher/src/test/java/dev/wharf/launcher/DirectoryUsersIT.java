package dev.wharf.launcher;

import static dev.wharf.launcher.LauncherProcess.LISTENER;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.wharf.itests.support.Slapd;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Users from a directory: OpenLDAP's slapd (Debian's package) started by the test with people and groups from an
 * LDIF, the JDK's LdapLoginModule in a JAAS login configuration file of the launcher's instance, and a
 * {@code dev.wharf.ftp.jaas} store over it that lets the group {@code ftp-users} log in and {@code ftp-writers}
 * write. Logins go over FTPS (the shipped listener, TLS required for everything) with Commons Net and curl.
 */
public class DirectoryUsersIT {

    private static final String STORE = "dev.wharf.ftp.jaas";
    private static final int TIMEOUT_SECONDS = 3;
    private static Slapd slapd;
    private static LauncherProcess wharf;
    private static int port;
    private static Path homes;
    private static Path jaas;

    @BeforeClass
    public static void start() throws Exception {
        wharf = LauncherProcess.copyOfDistribution("directory");
        slapd = Slapd.start(wharf.home().resolve("slapd"), new Slapd.Ldif()
                .person("alice", "alice-secret-1").person("bob", "bob-secret-2")
                .person("carol", "carol-secret-3").person("dave", "dave-secret-4")
                .group("ftp-users", "alice", "bob", "carol")
                .group("ftp-writers", "alice"));
        jaas = wharf.etc().resolve("jaas.config");
        Files.writeString(jaas, "directory-login {\n"
                + "  com.sun.security.auth.module.LdapLoginModule REQUIRED\n"
                + "    userProvider=\"" + slapd.url() + "/ou=people," + Slapd.SUFFIX + "\"\n"
                + "    authIdentity=\"uid={USERNAME},ou=people," + Slapd.SUFFIX + "\"\n"
                + "    useSSL=false;\n"
                + "};\n", StandardCharsets.UTF_8);
        homes = Files.createDirectories(wharf.home().resolve("ftp"));
        port = LauncherProcess.freePort();
        wharf.editConfig(LISTENER, "default", "host", "127.0.0.1", "port", Integer.toString(port));
        wharf.editConfig(LISTENER, "implicit", "host", "127.0.0.1", "port",
                Integer.toString(LauncherProcess.freePort()));
        wharf.writeConfig(STORE, "directory", "realm", "directory-login", "login.config", jaas.toString(),
                "home", homes + "/{user}", "login.role", "ftp-users", "write.role", "ftp-writers",
                "group.base", "ou=groups," + Slapd.SUFFIX, "timeout", Integer.toString(TIMEOUT_SECONDS),
                "cache.seconds", "0");
        wharf.start();
        wharf.awaitFtp(port, false, true, "alice", "alice-secret-1", Duration.ofSeconds(60));
    }

    @AfterClass
    public static void stop() throws Exception {
        try {
            if (wharf != null) {
                wharf.close();
            }
        } finally {
            if (slapd != null) {
                slapd.close();
            }
        }
    }

    private static FTPSClient connect() throws Exception {
        FTPSClient c = new FTPSClient("TLS", false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setDefaultTimeout(30_000);
        c.connect("127.0.0.1", port);
        return c;
    }

    private static FTPSClient login(String user, String password) throws Exception {
        FTPSClient c = connect();
        assertTrue(user + ": " + c.getReplyString(), c.login(user, password));
        c.execPBSZ(0);
        c.execPROT("P");
        assertTrue(c.setFileType(FTP.BINARY_FILE_TYPE));
        c.enterLocalPassiveMode();
        return c;
    }

    /** The reply to a login, and how long it took. */
    private static long refusedLogin(String user, String password) throws Exception {
        FTPSClient c = connect();
        try {
            long start = System.nanoTime();
            assertFalse(user + " must be refused", c.login(user, password));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(c.getReplyString(), 530, c.getReplyCode());
            return millis;
        } finally {
            c.disconnect();
        }
    }

    @Test
    public void directoryUsersLogInOverFtpsAndOnlyTheWriteGroupWrites() throws Exception {
        byte[] content = "written by a member of ftp-writers".getBytes(StandardCharsets.UTF_8);
        FTPSClient alice = login("alice", "alice-secret-1");
        try {
            assertTrue(alice.getReplyString(), alice.storeFile("report.txt", new ByteArrayInputStream(content)));
            assertTrue(alice.makeDirectory("archive"));
        } finally {
            alice.disconnect();
        }
        assertArrayEquals(content, Files.readAllBytes(homes.resolve("alice/report.txt")));

        FTPSClient bob = login("bob", "bob-secret-2");
        try {
            assertFalse(bob.storeFile("nope.txt", new ByteArrayInputStream(content)));
            assertEquals(bob.getReplyString(), 550, bob.getReplyCode());
            assertFalse(bob.makeDirectory("nope"));
            assertEquals(550, bob.getReplyCode());
        } finally {
            bob.disconnect();
        }
        assertTrue("bob's home was made at his first login", Files.isDirectory(homes.resolve("bob")));
        assertFalse(Files.exists(homes.resolve("bob/nope.txt")));

        // curl as the LDAP user, downloading over FTPS
        Path copy = homes.resolve("copy.txt");
        Clients.Result curl = Clients.curl("--ssl-reqd", "-k", "-u", "alice:alice-secret-1",
                "ftp://127.0.0.1:" + port + "/report.txt", "-o", copy.toString());
        assertTrue(curl.toString(), curl.ok());
        assertArrayEquals(content, Files.readAllBytes(copy));
    }

    @Test
    public void wrongPasswordsAndUsersOutsideTheLoginGroupAreRefused() throws Exception {
        refusedLogin("alice", "not-alices-password");
        refusedLogin("nobody", "whatever");
        refusedLogin("dave", "dave-secret-4"); // the right password, but not in ftp-users
        wharf.awaitLog(Pattern.compile("user store 'directory' \\(realm 'directory-login'\\): user 'dave' has not "
                + "the role 'ftp-users'"), Duration.ofSeconds(10));
    }

    @Test
    public void aUserRemovedFromTheDirectoryIsRefusedAtTheNextLogin() throws Exception {
        login("carol", "carol-secret-3").disconnect();
        slapd.delete(Slapd.Ldif.person("carol"));
        refusedLogin("carol", "carol-secret-3");
    }

    /**
     * {@code ${user}} in a .cfg file is replaced by FileInstall (by nothing) before Wharf reads it: a home without a
     * place for the name would give every user the same home, so the store refuses it in one line naming the file
     * and the key.
     */
    @Test
    public void aHomeTemplateWithoutThePlaceForTheNameIsRefused() throws Exception {
        wharf.writeConfig(STORE, "shared", "realm", "directory-login", "login.config", jaas.toString(),
                "home", homes + "/${user}");
        wharf.awaitLog(Pattern.compile("dev\\.wharf\\.ftp\\.jaas-shared\\.cfg: 'home' is '[^']*/ftp/', which has no "
                + "\\{user\\}.*JAAS user store 'shared' lets nobody log in"), Duration.ofSeconds(15));
        assertFalse(wharf.stderr(), wharf.stderr().contains("\tat dev.wharf"));
        wharf.deleteConfig(STORE, "shared");
    }

    /**
     * A directory that accepts connections but never answers (slapd stopped with SIGSTOP) costs a login the
     * store's timeout, not more; one that is down is refused at once; both say so in one log line; and logins work
     * again as soon as the directory does.
     */
    @Test
    public void anUnreachableDirectoryFailsLoginsWithinTheTimeoutAndSaysSo() throws Exception {
        slapd.freeze();
        long hung;
        try {
            hung = refusedLogin("alice", "alice-secret-1");
        } finally {
            slapd.thaw();
        }
        // the store's timeout, the listener's pause after a failed login (1 s), and slack for a busy machine
        assertTrue("refused after " + hung + " ms", hung < (TIMEOUT_SECONDS + 1 + 4) * 1000L);
        wharf.awaitLog(Pattern.compile("user store 'directory' \\(realm 'directory-login'\\): .*login of user "
                + "'alice' refused"), Duration.ofSeconds(10));
        login("alice", "alice-secret-1").disconnect();

        slapd.stop();
        try {
            long down = refusedLogin("bob", "bob-secret-2");
            assertTrue("refused after " + down + " ms", down < (TIMEOUT_SECONDS + 1 + 4) * 1000L);
            wharf.awaitLog(Pattern.compile("user store 'directory' \\(realm 'directory-login'\\): cannot be used: "
                    + ".*(refused|Connection).*; login of user 'bob' refused"), Duration.ofSeconds(10));
            assertFalse("no stack trace for an unreachable directory:\n" + wharf.stderr(),
                    wharf.stderr().contains("\tat com.sun.jndi"));
        } finally {
            slapd.restart();
        }
        login("bob", "bob-secret-2").disconnect();
    }
}
