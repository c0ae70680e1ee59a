package dev.wharf.ftp.impl.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.management.ListenerManagement;
import dev.wharf.ftp.impl.management.MBeans;
import dev.wharf.ftp.impl.settings.IpFilter;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.Rule;
import org.junit.Test;

/**
 * The listener's counters read through the platform MBean server, as JConsole or the Prometheus JMX exporter reads
 * them, after known traffic: each is exactly what happened.
 */
public class JmxCountersTest {

    @Rule
    public final TestServer server = new TestServer(s -> s.loginFailureDelayMillis(0));

    @Test
    public void countersAfterKnownTrafficAreExact() throws Exception {
        ObjectName name = MBeans.name("Listener", "jmx-test");
        try (MBeans.Registration r = MBeans.register("Listener", "jmx-test",
                new ListenerManagement(endpointAsListener(), server.stats()))) {
            // 1: a login, an upload of 1000 bytes and its download
            FTPClient c = Clients.plain(server, "alice");
            byte[] content = Clients.randomBytes(1000);
            assertTrue(c.storeFile("up.bin", new ByteArrayInputStream(content)));
            ByteArrayOutputStream down = new ByteArrayOutputStream();
            assertTrue(c.retrieveFile("up.bin", down));
            assertArrayEquals(content, down.toByteArray());
            // a download of a missing file fails before its data connection opens
            assertTrue(c.retrieveFileStream("missing.bin") == null);
            c.logout();
            c.disconnect();
            // 2: a wrong password, then an unknown user, on one connection
            try (RawClient raw = new RawClient(server.port())) {
                raw.expect("220");
                raw.send("USER alice");
                raw.expect("331");
                raw.send("PASS wrong");
                raw.expect("530");
                raw.send("USER nobody");
                raw.expect("331");
                raw.send("PASS " + TestServer.PASSWORD);
                raw.expect("530");
            }
            // and a login from an address the user's own deny list names
            server.putUser(UserAccount.builder("dora", server.bobHome())
                    .addresses(List.of(), List.of("127.0.0.2/32")).build());
            try (RawClient raw = new RawClient("127.0.0.2", server.port())) {
                raw.expect("220");
                raw.send("USER dora");
                raw.expect("331");
                raw.send("PASS " + TestServer.PASSWORD);
                raw.expect("530");
            }
            // 3: a TLS handshake that fails (the client sends no ClientHello but text)
            try (RawClient raw = new RawClient(server.port())) {
                raw.expect("220");
                raw.send("AUTH TLS");
                raw.expect("234");
                raw.send("this is not a ClientHello");
                raw.closedWithoutReply();
            }
            // 4: a connection refused by the deny list
            ListenerSettings normal = server.endpoint().settings();
            server.endpoint().update(normal.toBuilder().ipFilter(IpFilter.parse("", "127.0.0.1")).build());
            try (RawClient refused = new RawClient(server.port())) {
                assertTrue(refused.reply().startsWith("421"));
            }
            server.endpoint().update(normal);

            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("ConnectionsAccepted", 4L);
            expected.put("ConnectionsRefused", 1L);
            expected.put("LoginsSucceeded", 1L);
            expected.put("LoginsFailed", 3L);
            expected.put("LoginsFailedWrongPassword", 1L);
            expected.put("LoginsFailedUnknownUser", 1L);
            expected.put("LoginsFailedDisabled", 0L);
            expected.put("LoginsFailedAddress", 1L);
            expected.put("BytesIn", 1000L);
            expected.put("BytesOut", 1000L);
            expected.put("TransfersCompleted", 2L);
            expected.put("TransfersFailed", 1L);
            expected.put("TransfersAborted", 0L);
            expected.put("TlsHandshakesFailed", 1L);
            expected.put("SessionsOpen", 0);
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            // the last reports come from session and transfer threads just after the client's last reply
            OperationsTest.await("the counters " + expected, () -> read(jmx, name, expected).equals(expected)
                    ? true : null);
            assertEquals(expected, read(jmx, name, expected));
        }
        assertTrue("unregistered", !ManagementFactory.getPlatformMBeanServer().isRegistered(name));
    }

    private static Map<String, Object> read(MBeanServer jmx, ObjectName name, Map<String, Object> keys)
            throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String attribute : keys.keySet()) {
            out.put(attribute, jmx.getAttribute(name, attribute));
        }
        return out;
    }

    /** The endpoint as the FtpListener the MBean reads (the component does this in OSGi). */
    private FtpListener endpointAsListener() {
        FtpEndpoint e = server.endpoint();
        return new FtpListener() {
            @Override
            public String name() {
                return "jmx-test";
            }

            @Override
            public InetSocketAddress boundAddress() {
                return e.boundAddress();
            }

            @Override
            public boolean tlsAvailable() {
                return e.tlsAvailable();
            }

            @Override
            public int openSessions() {
                return e.openSessions();
            }

            @Override
            public String problem() {
                return e.problem();
            }

            @Override
            public List<FtpSessionInfo> sessions() {
                return e.sessions();
            }

            @Override
            public boolean endSession(String sessionId) {
                return e.endSession(sessionId, "by an operator");
            }

            @Override
            public int endSessionsOf(String userName) {
                return e.endSessionsOf(userName, "by an operator");
            }

            @Override
            public boolean draining() {
                return e.draining();
            }
        };
    }
}
