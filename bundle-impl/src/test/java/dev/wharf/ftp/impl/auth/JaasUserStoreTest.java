package dev.wharf.ftp.impl.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.UserAccount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The JAAS store over a login configuration file whose realm is {@link TableLoginModule}: roles decide login and
 * write access, successful logins are remembered for the configured time only, a realm that hangs costs the
 * timeout, and names that would leave the home template never reach the realm.
 */
public class JaasUserStoreTest {

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    private Path config;
    private JaasUserStore store;

    @Before
    public void setUp() throws Exception {
        config = temp.getRoot().toPath().resolve("jaas.config");
        TableLoginModule.LOGINS.set(0);
    }

    @After
    public void tearDown() {
        if (store != null) {
            store.close();
        }
    }

    private JaasUserStore store(String options, long cacheNanos, int timeoutMillis) throws Exception {
        Files.writeString(config, "table {\n  " + TableLoginModule.class.getName() + " REQUIRED " + options
                + ";\n};\n", StandardCharsets.UTF_8);
        RealmAccounts accounts = new RealmAccounts(temp.getRoot() + "/homes/{user}", true, "ftp", "writers",
                TlsRequirement.CONTROL, 2, 1, 120, "CN={user},O=Example");
        store = new JaasUserStore(new JaasUserStore.Realm("test", "table", new LoginConfigFile(config)::current,
                timeoutMillis, cacheNanos, null), accounts);
        return store;
    }

    @Test
    public void rolesDecideLoginAndWriteAccess() throws Exception {
        store("users=\"ann:a-pw:ftp|writers;ben:b-pw:ftp;cid:c-pw:viewers\"", 0, 5000);
        UserAccount ann = store.authenticate("ann", "a-pw".toCharArray()).orElseThrow();
        assertTrue(ann.writable());
        assertEquals(temp.getRoot().toPath().resolve("homes/ann"), ann.home());
        assertEquals(TlsRequirement.CONTROL, ann.tlsRequired());
        assertEquals(2, ann.maxSessions());
        assertEquals("CN=ann,O=Example", ann.certificateSubject().getName());
        assertFalse(store.authenticate("ben", "b-pw".toCharArray()).orElseThrow().writable());
        assertEquals(Optional.empty(), store.authenticate("cid", "c-pw".toCharArray()));
        assertEquals(Optional.empty(), store.authenticate("ann", "wrong".toCharArray()));
        assertEquals(Optional.empty(), store.find("ann"));
    }

    @Test
    public void successfulLoginsAreRememberedForTheConfiguredTimeOnly() throws Exception {
        store("users=\"ann:a-pw:ftp\"", 60_000_000_000L, 5000);
        assertTrue(store.authenticate("ann", "a-pw".toCharArray()).isPresent());
        assertTrue(store.authenticate("ann", "a-pw".toCharArray()).isPresent());
        assertEquals("the second login was remembered", 1, TableLoginModule.LOGINS.get());
        assertFalse(store.authenticate("ann", "other".toCharArray()).isPresent());
        assertEquals("a different password goes to the realm", 2, TableLoginModule.LOGINS.get());
        assertTrue(store.authenticate("ann", "a-pw".toCharArray()).isPresent());
        assertEquals("a failed login forgets the remembered one", 3, TableLoginModule.LOGINS.get());

        store.close();
        store("users=\"ann:a-pw:ftp\"", 0, 5000);
        TableLoginModule.LOGINS.set(0);
        store.authenticate("ann", "a-pw".toCharArray());
        store.authenticate("ann", "a-pw".toCharArray());
        assertEquals("cache.seconds = 0 asks every time", 2, TableLoginModule.LOGINS.get());
    }

    @Test
    public void aRealmThatHangsCostsTheTimeoutAndNoMore() throws Exception {
        store("users=\"ann:a-pw:ftp\" delayMillis=\"30000\"", 0, 500);
        long start = System.nanoTime();
        assertEquals(Optional.empty(), store.authenticate("ann", "a-pw".toCharArray()));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("took " + millis + " ms", millis >= 450 && millis < 5000);
    }

    @Test
    public void namesThatWouldLeaveTheHomeTemplateNeverReachTheRealm() throws Exception {
        store("users=\"..:x:ftp\"", 0, 5000);
        for (String name : new String[] {"..", "a/b", "../ann", "a\\b", "", "tab\there"}) {
            assertEquals(name, Optional.empty(), store.authenticate(name, "x".toCharArray()));
        }
        assertEquals(0, TableLoginModule.LOGINS.get());
    }

    @Test
    public void aBrokenLoginConfigurationIsSaidAndAFixedOneIsReadAgain() throws Exception {
        store("users=\"ann:a-pw:ftp\"", 0, 5000);
        Files.writeString(config, "table { this is not a login configuration", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(config, java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        assertEquals(Optional.empty(), store.authenticate("ann", "a-pw".toCharArray()));
        Files.writeString(config, "table {\n  " + TableLoginModule.class.getName()
                + " REQUIRED users=\"ann:a-pw:ftp\";\n};\n", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(config, java.nio.file.attribute.FileTime.fromMillis(2_000_000));
        assertTrue(store.authenticate("ann", "a-pw".toCharArray()).isPresent());
    }
}
