package dev.wharf.itests.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * OpenLDAP's slapd from Debian's package, run by a test (the launcher's, or one inside Karaf): a configuration and
 * an mdb database of its own in a folder the test names, the entries of an LDIF loaded with slapadd, listening on a
 * free loopback port, stopped by {@link #close()}. A machine without slapd fails the test with a message saying
 * what to install (CI installs it through {@code .ci/run}).
 */
public final class Slapd implements AutoCloseable {

    public static final String SUFFIX = "dc=example,dc=org";
    public static final String ADMIN = "cn=admin," + SUFFIX;
    public static final String ADMIN_PASSWORD = "slapd-admin-secret";
    private static final Path SLAPD = Path.of("/usr/sbin/slapd");
    private static final Path SLAPADD = Path.of("/usr/sbin/slapadd");
    private static final Path SCHEMA = Path.of("/etc/ldap/schema");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private Process process;

    private Slapd(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Configures a directory with the LDIF's entries below {@link #SUFFIX} and starts slapd on a free port. What an
     * earlier run left in the folder is removed first: slapadd does not load entries that exist.
     */
    public static Slapd start(Path dir, Ldif ldif) throws IOException, InterruptedException {
        assertTrue("slapd is not installed (" + SLAPD + "): install Debian's packages slapd and ldap-utils, as "
                + ".ci/run does (apt-get install -y slapd ldap-utils)",
                Files.isExecutable(SLAPD) && Files.isExecutable(SLAPADD)
                        && Files.isRegularFile(SCHEMA.resolve("inetorgperson.schema")));
        Slapd slapd = new Slapd(dir, freePort());
        deleteTree(dir);
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("slapd.conf"), slapd.config(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("entries.ldif"), ldif.toString(), StandardCharsets.UTF_8);
        slapd.command(SLAPADD.toString(), "-f", dir.resolve("slapd.conf").toString(), "-l",
                dir.resolve("entries.ldif").toString());
        slapd.run();
        return slapd;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private String config() {
        return String.join("\n",
                "include " + SCHEMA.resolve("core.schema"),
                "include " + SCHEMA.resolve("cosine.schema"),
                "include " + SCHEMA.resolve("inetorgperson.schema"),
                "include " + SCHEMA.resolve("nis.schema"),
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "pidfile " + dir.resolve("slapd.pid"),
                "argsfile " + dir.resolve("slapd.args"),
                "database mdb",
                "maxsize 16777216",
                "suffix \"" + SUFFIX + "\"",
                "rootdn \"" + ADMIN + "\"",
                "rootpw " + ADMIN_PASSWORD,
                "directory " + dir.resolve("db"),
                // users bind with their password and may read the directory (their groups); nobody reads passwords
                "access to attrs=userPassword by anonymous auth by self auth by * none",
                "access to * by users read by * none",
                "");
    }

    /** Runs slapd in the foreground ({@code -d 0}) so that this process owns it. */
    private void run() throws IOException, InterruptedException {
        process = new ProcessBuilder(SLAPD.toString(), "-d", "0", "-h", url(), "-f",
                dir.resolve("slapd.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("slapd.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!accepting()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                fail("slapd did not listen on " + url() + ": " + Files.readString(dir.resolve("slapd.log")));
            }
            Thread.sleep(100);
        }
    }

    /** Starts slapd again on the same port with the same data, after {@link #stop()}. */
    public void restart() throws IOException, InterruptedException {
        if (process == null) {
            run();
        }
    }

    /** {@code ldap://127.0.0.1:<port>}. */
    public String url() {
        return "ldap://127.0.0.1:" + port;
    }

    /** ldapdelete as the directory's administrator (ldap-utils, over the network as any client). */
    public void delete(String dn) throws IOException, InterruptedException {
        command("ldapdelete", "-x", "-H", url(), "-D", ADMIN, "-w", ADMIN_PASSWORD, dn);
    }

    /** SIGSTOP: the port still accepts connections (the kernel does that) but nothing answers. */
    public void freeze() throws IOException, InterruptedException {
        command("kill", "-STOP", Long.toString(process.pid()));
    }

    public void thaw() throws IOException, InterruptedException {
        command("kill", "-CONT", Long.toString(process.pid()));
    }

    /** Runs a command to its end, which must be a success; its output goes to the folder's commands.log. */
    private void command(String... command) throws IOException, InterruptedException {
        Path log = dir.resolve("commands.log");
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(command[0] + " did not finish within " + COMMAND_TIMEOUT + ": " + Files.readString(log));
        }
        assertEquals(command[0] + " failed: " + Files.readString(log), 0, p.exitValue());
    }

    /** Stops slapd and waits until the port no longer accepts. */
    public void stop() throws InterruptedException, IOException {
        if (process == null) {
            return;
        }
        thaw(); // a stopped process would not act on SIGTERM
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        process = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (accepting() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private boolean accepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
    }

    /** An LDIF of people (inetOrgPerson) and groups (groupOfNames) below {@link #SUFFIX}. */
    public static final class Ldif {
        private final List<String> entries = new ArrayList<>();

        public Ldif() {
            entries.add("dn: " + SUFFIX + "\nobjectClass: dcObject\nobjectClass: organization\no: Example\n"
                    + "dc: example\n");
            entries.add("dn: ou=people," + SUFFIX + "\nobjectClass: organizationalUnit\nou: people\n");
            entries.add("dn: ou=groups," + SUFFIX + "\nobjectClass: organizationalUnit\nou: groups\n");
        }

        /** The DN of a person's entry. */
        public static String person(String uid) {
            return "uid=" + uid + ",ou=people," + SUFFIX;
        }

        public Ldif person(String uid, String password) {
            entries.add("dn: " + person(uid) + "\nobjectClass: inetOrgPerson\nuid: " + uid + "\ncn: " + uid
                    + "\nsn: " + uid + "\nuserPassword: " + password + "\n");
            return this;
        }

        public Ldif group(String cn, String... uids) {
            StringBuilder e = new StringBuilder("dn: cn=" + cn + ",ou=groups," + SUFFIX
                    + "\nobjectClass: groupOfNames\ncn: " + cn + "\n");
            for (String uid : uids) {
                e.append("member: ").append(person(uid)).append('\n');
            }
            entries.add(e.toString());
            return this;
        }

        @Override
        public String toString() {
            return String.join("\n", entries);
        }
    }
}
