package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.Test;

/** Implicit FTPS: TLS from the first byte, with FileZilla-style (PROT P) and plain clients. */
public class ImplicitTlsTest extends SessionTest<FTPSClient> {

    @Override
    protected TestServer createServer() {
        return new TestServer(s -> s.implicitSsl(true));
    }


    @Test
    public void transfersWithProtP() throws Exception {
        client = Clients.tls(server, true, "alice");
        byte[] data = new byte[1_000_000];
        new java.util.Random(7).nextBytes(data);
        assertTrue(client.storeFile("i.bin", new ByteArrayInputStream(data)));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile("i.bin", back));
        assertArrayEquals(data, back.toByteArray());
    }

    @Test
    public void doesNotAdvertiseAuthAndRefusesIt() throws Exception {
        client = Clients.tls(server, true, null);
        assertEquals(211, client.sendCommand("FEAT"));
        assertFalse(client.getReplyString().contains("AUTH"));
        assertTrue(client.getReplyString().contains("PROT"));
        assertEquals(503, client.sendCommand("AUTH", "TLS"));
    }

    @Test
    public void aClearTextClientGetsNothingAndOthersAreUnaffected() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            // The server reads a broken handshake and closes; no clear-text reply comes.
            raw.send("USER alice");
            assertTrue(raw.closedWithoutReply());
        }
        client = Clients.tls(server, true, "alice");
        assertEquals("/", client.printWorkingDirectory());
    }
}
