package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.Test;

/** Explicit FTPS (AUTH TLS) with Commons Net over real sockets: sequencing, PROT P transfers, both data modes. */
public class TlsSessionTest extends SessionTest<FTPSClient> {



    @Test
    public void featAdvertisesTlsBeforeLogin() throws Exception {
        client = Clients.tls(server, false, null);
        assertEquals(211, client.sendCommand("FEAT"));
        String feat = client.getReplyString();
        assertTrue(feat, feat.contains(" AUTH TLS"));
        assertTrue(feat, feat.contains(" PBSZ"));
        assertTrue(feat, feat.contains(" PROT"));
        assertTrue(feat, feat.contains(" EPSV"));
        assertTrue(feat, feat.contains(" UTF8"));
    }

    @Test
    public void transfersOverProtectedPassiveDataConnections() throws Exception {
        client = Clients.tls(server, false, "alice");
        byte[] data = Clients.randomBytes(5 * 1024 * 1024 + 3);
        assertTrue(client.getReplyString(), client.storeFile("secret.bin", new ByteArrayInputStream(data)));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile("secret.bin", back));
        assertArrayEquals(data, back.toByteArray());
        assertEquals(1, client.listFiles().length);
        assertEquals(Arrays.asList("secret.bin"), Arrays.asList(client.listNames()));
    }

    @Test
    public void transfersOverProtectedActiveDataConnections() throws Exception {
        client = Clients.tls(server, false, "alice");
        client.enterLocalActiveMode();
        client.setActiveExternalIPAddress("127.0.0.1");
        byte[] data = Clients.randomBytes(300_000);
        assertTrue(client.getReplyString(), client.storeFile("a.bin", new ByteArrayInputStream(data)));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile("a.bin", back));
        assertArrayEquals(data, back.toByteArray());
    }

    @Test
    public void clearDataConnectionsStillWorkAfterProtC() throws Exception {
        client = Clients.tls(server, false, "alice");
        client.execPROT("C");
        assertEquals(200, client.getReplyCode());
        byte[] data = Clients.randomBytes(70_000);
        assertTrue(client.storeFile("c.bin", new ByteArrayInputStream(data)));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile("c.bin", back));
        assertArrayEquals(data, back.toByteArray());
    }

    @Test
    public void enforcesRfc4217Sequencing() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.expect("220");
            raw.send("PBSZ 0");
            raw.expect("503");
            raw.send("PROT P");
            raw.expect("503");
            raw.send("AUTH KERBEROS");
            raw.expect("504");
        }
        client = Clients.tls(server, false, null);
        assertEquals(503, client.sendCommand("PROT", "P")); // PBSZ first
        assertEquals(200, client.sendCommand("PROT", "C")); // the unprotected default, as ftplib's prot_c() sends it
        assertEquals(503, client.sendCommand("AUTH", "TLS")); // already protected
        assertEquals(200, client.sendCommand("PBSZ", "0"));
        assertEquals(536, client.sendCommand("PROT", "S"));
        assertEquals(536, client.sendCommand("PROT", "E"));
        assertEquals(504, client.sendCommand("PROT", "X"));
        assertEquals(200, client.sendCommand("PROT", "P"));
        assertTrue(client.login("alice", TestServer.PASSWORD));
    }

    @Test
    public void aBrokenHandshakeOnlyEndsThatSession() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.expect("220");
            raw.send("AUTH TLS");
            raw.expect("234");
            raw.sendBytes("this is not a TLS client hello\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(raw.closedWithoutReply());
        }
        client = Clients.tls(server, false, "alice");
        assertEquals("/", client.printWorkingDirectory());
    }

    @Test
    public void requiredReuseRefusesATls12DataConnectionThatDoesNotResume() throws Exception {
        // SunJSSE clients (Commons Net) do not resume the control session on the data port.
        client = new FTPSClient("TLS", false);
        client.setTrustManager(org.apache.commons.net.util.TrustManagerUtils.getAcceptAllTrustManager());
        client.setEnabledProtocols(new String[] {"TLSv1.2"});
        client.setDefaultTimeout(20_000);
        client.connect("127.0.0.1", server.port());
        assertTrue(client.login("alice", TestServer.PASSWORD));
        client.execPBSZ(0);
        client.execPROT("P");
        client.enterLocalPassiveMode();
        server.write("r.bin", new byte[100]);
        assertFalse(client.retrieveFile("r.bin", new ByteArrayOutputStream()));
        assertEquals(425, client.getReplyCode());
        assertEquals(200, client.sendCommand("NOOP"));
    }
}
