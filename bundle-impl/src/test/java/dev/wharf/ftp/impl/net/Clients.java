package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;

/** Commons Net clients set up the way the tests need them. */
final class Clients {

    private Clients() {
    }

    static FTPClient plain(TestServer server, String user) throws IOException {
        FTPClient c = new FTPClient();
        c.setDefaultTimeout(20_000);
        c.setConnectTimeout(10_000);
        c.connect("127.0.0.1", server.port());
        c.setSoTimeout(20_000);
        if (user != null) {
            assertTrue("login: " + c.getReplyString(), c.login(user, TestServer.PASSWORD));
            assertTrue(c.setFileType(FTP.BINARY_FILE_TYPE));
            c.enterLocalPassiveMode();
        }
        return c;
    }

    /** Explicit FTPS (AUTH TLS) or implicit, logged in, PBSZ 0 + PROT P, binary, passive. */
    static FTPSClient tls(TestServer server, boolean implicit, String user) throws IOException {
        FTPSClient c = new FTPSClient("TLS", implicit);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setDefaultTimeout(20_000);
        c.setConnectTimeout(10_000);
        c.connect("127.0.0.1", server.port());
        c.setSoTimeout(20_000);
        if (user != null) {
            assertTrue("login: " + c.getReplyString(), c.login(user, TestServer.PASSWORD));
            c.execPBSZ(0);
            c.execPROT("P");
            assertEquals(200, c.getReplyCode());
            assertTrue(c.setFileType(FTP.BINARY_FILE_TYPE));
            c.enterLocalPassiveMode();
        }
        return c;
    }

    /** Random but repeatable content (seeded by its size). */
    static byte[] randomBytes(int size) {
        byte[] b = new byte[size];
        new java.util.Random(size).nextBytes(b);
        return b;
    }

    static void close(FTPClient c) {
        try {
            if (c.isConnected()) {
                c.disconnect();
            }
        } catch (IOException ignored) {
            // test cleanup
        }
    }
}
