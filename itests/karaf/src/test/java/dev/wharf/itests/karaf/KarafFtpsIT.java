package dev.wharf.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.itests.support.EventsAndHooksCheck;
import dev.wharf.itests.support.Slapd;
import dev.wharf.itests.support.WharfSupport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.karaf.jaas.config.JaasRealm;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Feature "wharf" installed into a real Karaf (apache-karaf-minimal): the bundles start, the feature's default
 * configurations exist, and a file goes up and down over explicit FTPS with Apache Commons Net.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFtpsIT {

    private static final String USERS = "etc/users.properties";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    private WharfSupport wharf;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return OptionUtils.combine(KarafWithWharf.configuration("exam"),
                // users of Karaf's own realm "karaf": one with the role the JAAS store lets in, one without it
                editConfigurationFilePut(USERS, "realm-alice", "alice-in-karaf-1,ftp-users,ftp-writers"),
                editConfigurationFilePut(USERS, "realm-bob", "bob-in-karaf-2,viewer"));
    }

    @Before
    public void setUp() {
        wharf = new WharfSupport(context, cm);
    }

    @After
    public void tearDown() throws Exception {
        wharf.close();
    }

    @Test
    public void featureBundlesAreActive() {
        List<String> wharfBundles = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith("mvn:dev.wharf/") && !b.getLocation().contains("/wharf-itests-support/")) {
                assertEquals(b.getLocation() + " is ACTIVE", Bundle.ACTIVE, b.getState());
                wharfBundles.add(b.getLocation());
                System.out.println("bundle under test: " + b.getLocation() + " " + b.getVersion());
            }
        }
        assertEquals("wharf-api, wharf-impl and (Karaf's shell being there) wharf-shell installed: " + wharfBundles,
                3, wharfBundles.size());
    }

    /**
     * The feature's default SSL configuration (self-signed) and listener (port 2121); the listener is moved to
     * a free port through ConfigAdmin, a user is added, and a file goes up and down over explicit FTPS.
     */
    @Test
    public void explicitFtpsTransferOnTheFeaturesDefaultListener() throws Exception {
        Configuration ssl = single("(&(service.factoryPid=dev.wharf.ftp.ssl)(name=default))");
        assertEquals("true", String.valueOf(ssl.getProperties().get("self.signed")));

        // Karaf's feature installer creates the configuration and writes etc/dev.wharf.ftp.listener-default.cfg;
        // FileInstall then reads that file and applies it once more. Changing the configuration before FileInstall
        // owns it would be undone by that; after, FileInstall writes the change into the file.
        Configuration listener = single("(&(service.factoryPid=dev.wharf.ftp.listener)(name=default)"
                + "(felix.fileinstall.filename=*))");
        Dictionary<String, Object> props = listener.getProperties();
        assertEquals("2121", String.valueOf(props.get("port")));
        props.put("host", "127.0.0.1");
        props.put("port", Integer.valueOf(0));
        listener.update(props);

        Path home = wharf.dir("home-karaf");
        Configuration user = wharf.user("kara", "kara-secret-1", home);
        wharf.awaitHashedPassword(user, "kara-secret-1");
        InetSocketAddress address = wharf.awaitListener("default",
                l -> l.tlsAvailable() && l.boundAddress().getPort() != 2121);
        assertNotEquals(2121, address.getPort());

        FTPSClient c = wharf.ftps(address, false);
        WharfSupport.loginProtected(c, "kara", "kara-secret-1");
        WharfSupport.roundTrip(c, "karaf.bin", WharfSupport.randomBytes(250_000, 7), home);
        assertTrue(c.logout());
    }

    /**
     * The feature brings EventAdmin: an EventHandler and an FtpHook registered at run time see and decide over
     * real FTPS sessions, on a listener of its own.
     */
    @Test
    public void eventsAndHooksRegisteredAtRunTime() throws Exception {
        Path home = wharf.dir("home-karaf-events");
        java.nio.file.Files.createDirectories(home);
        wharf.user("kate", "kate-secret-2", home);
        wharf.listener("karaf-events");
        InetSocketAddress address = wharf.awaitListener("karaf-events", l -> l.tlsAvailable());
        new EventsAndHooksCheck(context, wharf).run(address, "karaf-events", "kate", "kate-secret-2", home);
    }

    /**
     * A {@code dev.wharf.ftp.jaas} store over Karaf's {@code karaf} realm ({@code etc/users.properties}): a user with
     * the login role logs in over FTPS and, having the write role, uploads into a home made from the template; a
     * user without the login role is refused with the right password.
     */
    @Test
    public void karafRealmUsersWithTheLoginRoleLogInOverFtps() throws Exception {
        Path homes = wharf.dir("realm-homes");
        wharf.factory("dev.wharf.ftp.jaas", "karaf-users", "realm", "karaf", "home", homes + "/{user}",
                "login.role", "ftp-users", "write.role", "ftp-writers");
        wharf.listener("realm", "tls.required", "all");
        InetSocketAddress address = wharf.awaitListener("realm", FtpListener::tlsAvailable);

        FTPSClient alice = loginWhenTheStoreIsUp(address, "realm-alice", "alice-in-karaf-1");
        WharfSupport.roundTrip(alice, "realm.bin", WharfSupport.randomBytes(100_000, 13),
                homes.resolve("realm-alice"));
        assertTrue(alice.logout());

        FTPSClient bob = wharf.ftps(address, false);
        assertFalse("a user without the login role", bob.login("realm-bob", "bob-in-karaf-2"));
        assertEquals(bob.getReplyString(), 530, bob.getReplyCode());
        FTPSClient wrong = wharf.ftps(address, false);
        assertFalse("a wrong password", wrong.login("realm-alice", "not-her-password"));
        assertEquals(wrong.getReplyString(), 530, wrong.getReplyCode());
    }

    /**
     * Directory users through Karaf's own LDAPLoginModule: slapd (Debian's package) started by the test with people
     * and groups, a realm "directory" registered as Karaf's blueprint {@code <jaas:config>} would register it, and a
     * {@code dev.wharf.ftp.jaas} store over that realm. A member of ftp-users (and ftp-writers) uploads over FTPS;
     * a directory user outside ftp-users, and a wrong password, get 530.
     */
    @Test
    public void directoryUsersThroughKarafsLdapLoginModule() throws Exception {
        try (Slapd slapd = Slapd.start(wharf.dir("slapd-karaf"), new Slapd.Ldif()
                .person("lena", "lena-secret-1").person("otto", "otto-secret-2")
                .group("ftp-users", "lena").group("ftp-writers", "lena"))) {
            ServiceRegistration<JaasRealm> realm = context.registerService(JaasRealm.class,
                    ldapRealm("directory", slapd), null);
            try {
                Path homes = wharf.dir("ldap-homes");
                wharf.factory("dev.wharf.ftp.jaas", "ldap-users", "realm", "directory", "home", homes + "/{user}",
                        "login.role", "ftp-users", "write.role", "ftp-writers");
                wharf.listener("ldap", "tls.required", "all");
                InetSocketAddress address = wharf.awaitListener("ldap", FtpListener::tlsAvailable);

                FTPSClient lena = loginWhenTheStoreIsUp(address, "lena", "lena-secret-1");
                WharfSupport.roundTrip(lena, "ldap.bin", WharfSupport.randomBytes(50_000, 17), homes.resolve("lena"));
                assertTrue(lena.logout());
                FTPSClient otto = wharf.ftps(address, false);
                assertFalse("a directory user outside ftp-users", otto.login("otto", "otto-secret-2"));
                assertEquals(otto.getReplyString(), 530, otto.getReplyCode());
                FTPSClient wrong = wharf.ftps(address, false);
                assertFalse("a wrong password", wrong.login("lena", "not-lenas-password"));
                assertEquals(wrong.getReplyString(), 530, wrong.getReplyCode());
            } finally {
                realm.unregister();
            }
        }
    }

    /**
     * A realm of Karaf's LDAPLoginModule, as Karaf's own realms are made: Karaf's ProxyLoginModule (on the boot class
     * path) loads the module from the bundle named in the options.
     */
    private JaasRealm ldapRealm(String name, Slapd slapd) {
        Bundle modules = null;
        for (Bundle b : context.getBundles()) {
            if ("org.apache.karaf.jaas.modules".equals(b.getSymbolicName())) {
                modules = b;
            }
        }
        assertNotNull("Karaf's org.apache.karaf.jaas.modules bundle", modules);
        Map<String, Object> options = new HashMap<>();
        options.put(BundleContext.class.getName(), modules.getBundleContext());
        options.put("org.apache.karaf.jaas.module", "org.apache.karaf.jaas.modules.ldap.LDAPLoginModule");
        options.put("org.apache.karaf.jaas.bundle", Long.toString(modules.getBundleId()));
        options.put("connection.url", slapd.url());
        options.put("connection.username", Slapd.ADMIN);
        options.put("connection.password", Slapd.ADMIN_PASSWORD);
        options.put("user.base.dn", "ou=people," + Slapd.SUFFIX);
        options.put("user.filter", "(uid=%u)");
        options.put("user.search.subtree", "true");
        options.put("role.base.dn", "ou=groups," + Slapd.SUFFIX);
        options.put("role.filter", "(member=%fqdn)");
        options.put("role.name.attribute", "cn");
        options.put("role.search.subtree", "true");
        options.put("authentication", "simple");
        AppConfigurationEntry[] entries = {new AppConfigurationEntry("org.apache.karaf.jaas.boot.ProxyLoginModule",
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
        return new JaasRealm() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public int getRank() {
                return 0;
            }

            @Override
            public AppConfigurationEntry[] getEntries() {
                return entries.clone();
            }
        };
    }

    /** Logs in, retrying on new connections while the store's configuration is still being delivered. */
    private FTPSClient loginWhenTheStoreIsUp(InetSocketAddress address, String user, String password)
            throws Exception {
        long end = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS;
        while (true) {
            FTPSClient c = wharf.ftps(address, false);
            if (c.login(user, password)) {
                c.execPBSZ(0);
                c.execPROT("P");
                assertTrue(c.setFileType(org.apache.commons.net.ftp.FTP.BINARY_FILE_TYPE));
                c.enterLocalPassiveMode();
                return c;
            }
            c.disconnect();
            assertTrue("login of " + user + " over the JAAS store: " + c.getReplyString(),
                    System.currentTimeMillis() < end);
            Thread.sleep(300);
        }
    }

    private Configuration single(String filter) throws Exception {
        Configuration[] found = null;
        long end = System.currentTimeMillis() + WharfSupport.TIMEOUT_MS;
        while ((found == null) && System.currentTimeMillis() < end) {
            found = cm.listConfigurations(filter);
            if (found == null) {
                Thread.sleep(100);
            }
        }
        assertNotNull("a configuration " + filter + " (from the feature)", found);
        assertEquals("one configuration " + filter, 1, found.length);
        return found[0];
    }
}
