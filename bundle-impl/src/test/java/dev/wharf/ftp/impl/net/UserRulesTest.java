package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.impl.activity.Activity;
import dev.wharf.ftp.impl.settings.UserDefaults;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.Test;

/** A user's own allow/deny lists at login (loopback aliases as client sources) and the umask of what users create. */
public class UserRulesTest {

    @Test
    public void aDeniedAddressCannotLogInAndOthersCan() throws Throwable {
        TestServer server = new TestServer();
        server.during(() -> {
            server.putUser(UserAccount.builder("alice", server.aliceHome())
                    .addresses(List.of(), List.of("127.0.0.2/32")).build());
            server.putUser(UserAccount.builder("bob", server.bobHome())
                    .addresses(List.of("127.0.0.0/30"), List.of()).build());
            List<Activity> failures = new CopyOnWriteArrayList<>();
            server.runtime().activities().add(failures::add, t -> t.equals(FtpEvents.LOGIN_FAILED));
            try (RawClient denied = new RawClient("127.0.0.2", server.port())) {
                denied.expect("220");
                denied.send("USER alice");
                denied.expect("331");
                denied.send("PASS " + TestServer.PASSWORD);
                assertEquals("530 Login incorrect.", denied.expect("530")); // the same as a wrong password
                denied.send("USER bob"); // bob's allow list has 127.0.0.0/30
                denied.expect("331");
                denied.send("PASS " + TestServer.PASSWORD);
                denied.expect("230");
            }
            try (RawClient fine = RawClient.loggedIn(server.port(), "alice")) { // from 127.0.0.1
                fine.send("NOOP");
                fine.expect("200");
            }
            try (RawClient outside = new RawClient("127.0.0.5", server.port())) {
                outside.expect("220");
                outside.send("USER bob");
                outside.expect("331");
                outside.send("PASS " + TestServer.PASSWORD);
                outside.expect("530");
            }
            assertEquals(2, failures.size());
            assertEquals(FtpEvents.REASON_ADDRESS, failures.get(0).get(FtpEvents.REASON));
            assertEquals("127.0.0.2", failures.get(0).get(FtpEvents.REMOTE_ADDRESS));
        });
    }

    @Test
    public void createdFilesAndDirectoriesHonourTheUmask() throws Throwable {
        TestServer server = new TestServer(s -> s.userDefaults(new UserDefaults(0, 0, false, 027)));
        server.during(() -> {
            server.putUser(UserAccount.builder("bob", server.bobHome()).writable(true).umask(077).build());
            FTPClient alice = Clients.plain(server, "alice"); // the listener's umask
            FTPClient bob = Clients.plain(server, "bob"); // his own
            try {
                assertTrue(alice.storeFile("a.txt", new ByteArrayInputStream(new byte[3])));
                assertTrue(alice.appendFile("b.txt", new ByteArrayInputStream(new byte[3])));
                assertTrue(alice.makeDirectory("dir"));
                assertTrue(bob.storeFile("a.txt", new ByteArrayInputStream(new byte[3])));
                assertTrue(bob.storeUniqueFile("u.txt", new ByteArrayInputStream(new byte[3])));
                assertTrue(bob.makeDirectory("dir"));
            } finally {
                Clients.close(alice);
                Clients.close(bob);
            }
            assertEquals("rw-r-----", mode(server.aliceHome().resolve("a.txt")));
            assertEquals("rw-r-----", mode(server.aliceHome().resolve("b.txt")));
            assertEquals("rwxr-x---", mode(server.aliceHome().resolve("dir")));
            assertEquals("rw-------", mode(server.bobHome().resolve("a.txt")));
            assertEquals("rw-------", mode(server.bobHome().resolve("u.txt")));
            assertEquals("rwx------", mode(server.bobHome().resolve("dir")));
        });
    }

    /**
     * umask 000 asks for more than the JVM's own umask (022 as a rule) lets a new file have: the permissions are set
     * after creation, so the JVM's umask does not decide them.
     */
    @Test
    public void aUmaskWiderThanTheJvmsIsHonouredToo() throws Throwable {
        TestServer server = new TestServer(s -> s.userDefaults(new UserDefaults(0, 0, false, 0)));
        server.during(() -> {
            FTPClient alice = Clients.plain(server, "alice");
            try {
                assertTrue(alice.storeFile("open.txt", new ByteArrayInputStream(new byte[3])));
                assertTrue(alice.makeDirectory("open"));
            } finally {
                Clients.close(alice);
            }
            assertEquals("rw-rw-rw-", mode(server.aliceHome().resolve("open.txt")));
            assertEquals("rwxrwxrwx", mode(server.aliceHome().resolve("open")));
        });
    }

    private static String mode(java.nio.file.Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
