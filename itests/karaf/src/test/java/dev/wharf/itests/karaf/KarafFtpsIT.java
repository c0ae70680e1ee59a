package dev.wharf.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.wharf.itests.support.EventsAndHooksCheck;
import dev.wharf.itests.support.WharfSupport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Feature "wharf" installed into a real Karaf (apache-karaf-minimal): the bundles start, the feature's default
 * configurations exist, and a file goes up and down over explicit FTPS with Apache Commons Net.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFtpsIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    private WharfSupport wharf;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return KarafWithWharf.configuration("exam");
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
