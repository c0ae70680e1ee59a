package dev.wharf.ftp.impl.tls;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Fails closed and recovers: unusable material leaves no settings and a problem naming file and key; an update
 * of working material with unusable material keeps what worked; fixed material is taken up without a restart.
 */
public class ReloadingSslConfigurationTest {

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    private static TlsSpec keystore(Path file, String password) {
        return new TlsSpec("default", file, null, password.toCharArray(), null, null, null, null, null, null, null,
                TlsSettings.ClientAuth.NONE, List.of("TLSv1.3"), List.of(), false, null);
    }

    @Test
    public void badUpdatesKeepThePreviousMaterial() throws Exception {
        TestPki pki = new TestPki();
        Path dir = temp.getRoot().toPath();
        ReloadingSslConfiguration config = ReloadingSslConfiguration.create(pki.pem(dir, "one", pki.issue("CN=one",
                "EC")));
        TlsSettings before = config.current();
        assertNotNull(before);

        config.update(keystore(dir.resolve("nope.p12"), "x"));
        assertSame(before, config.current());
        assertNull(config.problem());

        config.update(pki.pem(dir, "two", pki.issue("CN=two", "EC")));
        assertNotSame(before.context(), config.current().context());
    }

    @Test
    public void aWrongPasswordFailsClosedNamingFileAndKeyAndRecoversWhenFixed() throws Exception {
        TestPki pki = new TestPki();
        Path p12 = pki.keystore(temp.getRoot().toPath().resolve("server.p12"), "PKCS12", pki.issue("CN=s", "EC"),
                "server", "right".toCharArray(), "right".toCharArray());
        ReloadingSslConfiguration config = ReloadingSslConfiguration.create(keystore(p12, "wrong"),
                "/etc/wharf/dev.wharf.ftp.ssl-default.cfg");
        assertNull(config.current());
        String problem = config.problem();
        assertTrue(problem, problem.startsWith("/etc/wharf/dev.wharf.ftp.ssl-default.cfg: keystore " + p12));
        assertTrue(problem, problem.contains("wrong password (key 'keystore.password')"));

        config.update(keystore(p12, "right"));
        assertNotNull(config.current());
        assertNull(config.problem());
    }

    @Test
    public void aMissingFileThatAppearsIsTakenUpWithoutAnUpdate() throws Exception {
        TestPki pki = new TestPki();
        Path dir = temp.getRoot().toPath();
        Path p12 = dir.resolve("later.p12");
        AtomicLong now = new AtomicLong();
        ReloadingSslConfiguration config = ReloadingSslConfiguration.create(keystore(p12, "pw"), "ssl.cfg", now::get);
        assertNull(config.current());
        assertTrue(config.problem(), config.problem().contains("does not exist or cannot be read (key 'keystore')"));

        pki.keystore(dir.resolve("staged.p12"), "PKCS12", pki.issue("CN=s", "EC"), "server", "pw".toCharArray(),
                "pw".toCharArray());
        Files.move(dir.resolve("staged.p12"), p12);
        assertNull("files are checked at most once a second", config.current());
        now.addAndGet(1_100_000_000L);
        assertNotNull("the keystore that appeared is used", config.current());
    }

    @Test
    public void changedFilesThatCannotBeUsedLeaveThePreviousMaterialInUse() throws Exception {
        TestPki pki = new TestPki();
        Path dir = temp.getRoot().toPath();
        AtomicLong now = new AtomicLong();
        TlsSpec spec = pki.pem(dir, "srv", pki.issue("CN=one", "EC"));
        ReloadingSslConfiguration config = ReloadingSslConfiguration.create(spec, "ssl.cfg", now::get);
        TlsSettings one = config.current();

        pki.pem(dir, "srv", pki.issue("CN=two", "EC"));
        touch(spec);
        now.addAndGet(1_100_000_000L);
        TlsSettings two = config.current();
        assertNotSame("new files, new context", one, two);

        Files.writeString(spec.privateKey(), "broken");
        touch(spec);
        now.addAndGet(1_100_000_000L);
        assertSame("broken files: the previous material stays", two, config.current());
        assertNull(config.problem());
    }

    /** Moves the files' modification times on, as a copy or an editor would. */
    private static void touch(TlsSpec spec) throws Exception {
        java.nio.file.attribute.FileTime later = java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(spec.certificate()).toMillis() + 5000 + (long) (Math.random() * 1000));
        Files.setLastModifiedTime(spec.certificate(), later);
        Files.setLastModifiedTime(spec.privateKey(), later);
    }

    @Test
    public void wrongValuesFailClosedUntilAGoodConfigurationArrives() throws Exception {
        TestPki pki = new TestPki();
        ReloadingSslConfiguration config = ReloadingSslConfiguration.refused("default", "x.cfg",
                List.of("x.cfg: 'client.auth' is 'maybe'; allowed: none, want, need"));
        assertNull(config.current());
        assertTrue(config.problem(), config.problem().contains("'client.auth' is 'maybe'"));
        config.update(pki.pem(temp.getRoot().toPath(), "ok", pki.issue("CN=ok", "EC")));
        assertNotNull(config.current());
    }
}
