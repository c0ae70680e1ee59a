package dev.wharf.ftp.impl.tls;

import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;

import dev.wharf.ftp.api.TlsSettings;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A configuration update with unusable material keeps the previous context; a good one replaces it. */
public class ReloadingSslConfigurationTest {

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void badUpdatesKeepThePreviousMaterial() throws Exception {
        TestPki pki = new TestPki();
        Path dir = temp.getRoot().toPath();
        ReloadingSslConfiguration first = ReloadingSslConfiguration.create(pki.pem(dir, "one", pki.issue("CN=one", "EC")));
        TlsSettings before = first.current();

        TlsSpec missing = new TlsSpec("default", dir.resolve("nope.p12"), null, "x".toCharArray(), null, null, null,
                null, null, null, null, TlsSettings.ClientAuth.NONE, java.util.List.of("TLSv1.3"), java.util.List.of(),
                false, null);
        assertSame(first, first.update(missing));
        assertSame(before, first.current());

        ReloadingSslConfiguration second = first.update(pki.pem(dir, "two", pki.issue("CN=two", "EC")));
        assertNotSame(first, second);
        assertNotSame(before.context(), second.current().context());
    }
}
