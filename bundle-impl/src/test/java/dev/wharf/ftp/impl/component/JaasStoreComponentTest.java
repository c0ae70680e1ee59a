package dev.wharf.ftp.impl.component;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.auth.TableLoginModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The JAAS store component across a change of its configuration, over a realm of {@link TableLoginModule}. */
public class JaasStoreComponentTest {

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void aLoginTheRealmIsCheckingWhenTheConfigurationChangesStillSucceeds() throws Exception {
        Path loginConfig = temp.getRoot().toPath().resolve("jaas.config");
        Files.writeString(loginConfig, "table {\n  " + TableLoginModule.class.getName()
                + " REQUIRED users=\"ann:a-pw:ftp\" delayMillis=\"1500\";\n};\n", StandardCharsets.UTF_8);
        Map<String, Object> properties = new HashMap<>(Map.of("name", "staff", "realm", "table",
                "login.config", loginConfig.toString(), "home", temp.getRoot() + "/homes/{user}"));
        TableLoginModule.LOGINS.set(0);
        JaasStoreComponent component = new JaasStoreComponent(properties);
        try {
            CompletableFuture<Optional<UserAccount>> login = CompletableFuture.supplyAsync(
                    () -> component.authenticate("ann", "a-pw".toCharArray()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (TableLoginModule.LOGINS.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // until the realm has the login
            }
            assertEquals("the realm is checking the login when the configuration changes", 1,
                    TableLoginModule.LOGINS.get());
            properties.put("cache.seconds", 0);
            component.modified(properties);
            assertTrue("the login under way at the change succeeds", login.get(10, TimeUnit.SECONDS).isPresent());
            assertTrue("the new configuration's store answers",
                    component.authenticate("ann", "a-pw".toCharArray()).isPresent());
        } finally {
            component.deactivate();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (realmThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("realm threads of either store left after deactivation", 0, realmThreads());
    }

    private static long realmThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("wharf-realm-staff-")).count();
    }
}
