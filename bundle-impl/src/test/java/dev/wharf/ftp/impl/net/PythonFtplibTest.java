package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;

/** Python's ftplib against the server, plain and over TLS: transfers, REST, ASCII, MLSD, listings, ABOR. */
public class PythonFtplibTest {

    @Rule
    public final TestServer server = new TestServer();

    private String run(String mode) throws Exception {
        Path script = Path.of("src/test/python/ftplib_session.py").toAbsolutePath();
        Process p = new ProcessBuilder("python3", script.toString(), Integer.toString(server.port()), "alice",
                TestServer.PASSWORD, mode).redirectErrorStream(true).start();
        assertTrue("python3 did not finish", p.waitFor(120, TimeUnit.SECONDS));
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(output, 0, p.exitValue());
        return output;
    }

    @Test
    public void plainSession() throws Exception {
        assertTrue(run("plain").contains("ftplib plain session OK"));
    }

    @Test
    public void tlsSession() throws Exception {
        assertTrue(run("tls").contains("ftplib tls session OK"));
    }
}
