package dev.wharf.ftp.impl.component;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import dev.wharf.ftp.impl.settings.PassiveAddresses;
import dev.wharf.ftp.impl.settings.ProxyProtocol;
import dev.wharf.ftp.impl.settings.SessionReuse;
import dev.wharf.ftp.impl.settings.UserDefaults;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Configuration values as a .cfg file or the Web Console gives them: good ones parse, bad ones are named in one
 * line with file, key, value and what is allowed, and unknown keys are pointed at the key that was meant.
 */
public class ConfigReaderTest {

    private static final String FILE = "file:/srv/wharf/etc/dev.wharf.ftp.listener-default.cfg";

    private static ConfigReader reader(Map<String, Object> values) {
        Map<String, Object> withFile = new HashMap<>(values);
        withFile.put("felix.fileinstall.filename", FILE);
        withFile.put("service.pid", "dev.wharf.ftp.listener~default");
        return new ConfigReader(ListenerConfig.class, withFile);
    }

    private static ListenerSettings listener(ConfigReader reader) {
        ListenerSettings s = ListenerSettingsReader.settings(reader);
        return s;
    }

    @Test
    public void defaultsAreStrict() {
        ConfigReader r = reader(Map.of());
        ListenerSettings s = listener(r);
        assertEquals(List.of(), r.problems());
        assertEquals(2121, s.port());
        assertEquals(TlsRequirement.CONTROL, s.tls().required());
        assertEquals(SessionReuse.REQUIRED, s.tls().sessionReuse());
        assertTrue(s.data().ipCheck());
        assertEquals(3, s.limits().maxLoginFailures());
        assertEquals(1000, s.limits().maxConnections());
        assertEquals(20, s.limits().maxConnectionsPerIp());
        assertEquals(60, s.limits().loginTimeoutSeconds());
        assertEquals(30, s.tls().handshakeTimeoutSeconds());
    }

    @Test
    public void parsesTextAndTypedValuesInAnyCase() {
        ConfigReader r = reader(Map.of("tls.required", "ALL", "tls.session.reuse", "Allowed",
                "passive.ports", "30000-30009", "port", "2122", "implicit.ssl", "TRUE", "idle.timeout", 30L));
        ListenerSettings s = listener(r);
        assertEquals(List.of(), r.problems());
        assertEquals(TlsRequirement.ALL, s.tls().required());
        assertEquals(SessionReuse.ALLOWED, s.tls().sessionReuse());
        assertEquals(10, s.data().passivePorts().size());
        assertEquals(2122, s.port());
        assertTrue(s.tls().implicitSsl());
        assertEquals(30, s.limits().idleTimeoutSeconds());
    }

    @Test
    public void namesFileKeyValueAndWhatIsAllowed() {
        String file = "/srv/wharf/etc/dev.wharf.ftp.listener-default.cfg";
        assertProblem(file + ": 'tls.required' is 'maybe'; allowed: none, control, all", "tls.required", "maybe");
        assertProblem(file + ": 'port' is 'abc', not a whole number from 0 to 65535", "port", "abc");
        assertProblem(file + ": 'port' is 99999, not a number from 0 to 65535", "port", "99999");
        assertProblem(file + ": 'implicit.ssl' is 'yes'; allowed: true, false", "implicit.ssl", "yes");
        assertProblem("'tls.session.reuse' is 'sometimes'", "tls.session.reuse", "sometimes");
        assertProblem("'passive.ports' is '99999': port 99999", "passive.ports", "99999");
        assertProblem("'allow' is 'example.com': 'example.com' is not an IP address", "allow", "example.com");
        assertProblem("'idle.timeout' is 0, not of at least 1", "idle.timeout", "0");
    }

    @Test
    public void reportsEveryBadValueAtOnce() {
        ConfigReader r = reader(Map.of("port", "x", "tls.required", "y"));
        listener(r);
        assertEquals(r.problems().toString(), 2, r.problems().size());
    }

    @Test
    public void unknownKeysArePointedAtTheClosestKnownKey() {
        ConfigReader r = reader(Map.of("tls.requried", "control", "prot", "2122", "zzzzzzzzzz", "1",
                "ssl.target", "(name=x)", ".private", "1"));
        List<String> unknown = r.unknownKeys();
        assertEquals(unknown.toString(), 3, unknown.size());
        assertTrue(unknown.toString(), unknown.contains("/srv/wharf/etc/dev.wharf.ftp.listener-default.cfg: unknown "
                + "key 'tls.requried' is ignored; did you mean 'tls.required'?"));
        assertTrue(unknown.toString(),
                unknown.stream().anyMatch(l -> l.contains("'prot' is ignored; did you mean 'port'?")));
        assertTrue(unknown.toString(),
                unknown.stream().anyMatch(l -> l.contains("'zzzzzzzzzz' is ignored; known keys: ")));
    }

    @Test
    public void keysTheFrameworkAddsAreNotReported() {
        ConfigReader r = reader(Map.of("component.name", "x", "component.id", 3L, "service.ranking", 1,
                "osgi.ds.satisfying.condition.target", "(osgi.condition.id=true)", "ssl.target", "(name=default)"));
        assertEquals(List.of(), r.unknownKeys());
    }

    @Test
    public void withoutAFileTheSourceIsThePid() {
        ConfigReader r = new ConfigReader(ListenerConfig.class,
                Map.of("service.pid", "dev.wharf.ftp.listener~web", "port", "x"));
        listener(r);
        assertTrue(r.problems().toString(),
                r.problems().get(0).startsWith("configuration dev.wharf.ftp.listener~web: "));
    }

    @Test
    public void elementNamesMapToKeysAsDeclarativeServicesDoes() {
        assertEquals("max.connections.per.ip", ConfigReader.keyOf("max_connections_per_ip"));
        assertEquals("webconsole.configurationFactory.nameHint",
                ConfigReader.keyOf("webconsole_configurationFactory_nameHint"));
        assertEquals("a_b", ConfigReader.keyOf("a__b"));
        assertEquals("a-b", ConfigReader.keyOf("a$_$b"));
    }

    @Test
    public void proxyProtocolNeedsTrustedBalancers() throws Exception {
        ConfigReader r = reader(Map.of("proxy.protocol", "v2", "proxy.trusted", "10.0.0.2, 10.0.0.3/32"));
        ListenerSettings s = listener(r);
        assertEquals(List.of(), r.problems());
        assertEquals(ProxyProtocol.V2, s.proxy().protocol());
        assertTrue(s.proxy().trusts(InetAddress.getByName("10.0.0.3")));
        assertFalse(s.proxy().trusts(InetAddress.getByName("10.0.0.4")));
        assertFalse("off by default", listener(reader(Map.of())).proxy().enabled());

        String file = "/srv/wharf/etc/dev.wharf.ftp.listener-default.cfg";
        r = reader(Map.of("proxy.protocol", "v1"));
        listener(r);
        assertEquals(List.of(file + ": 'proxy.trusted' is empty; with proxy.protocol = v1 it must list the load "
                + "balancers' addresses (e.g. 10.0.0.5/32): only they may connect"), r.problems());
        assertProblem(file + ": 'proxy.protocol' is 'v3'; allowed: none, v1, v2", "proxy.protocol", "v3");
        r = reader(Map.of("proxy.protocol", "v2", "proxy.trusted", "haproxy.local"));
        listener(r);
        assertEquals(r.problems().toString(), 1, r.problems().size());
        assertTrue(r.problems().get(0), r.problems().get(0).contains(
                "'proxy.trusted' is 'haproxy.local': 'haproxy.local' is not an IP address or CIDR block"));
    }

    @Test
    public void passiveExternalAddressesByNetwork() throws Exception {
        ConfigReader r = reader(Map.of("passive.external.address",
                "192.168.0.0/16=192.168.1.5, 10.0.0.0/8=ftp.internal.example, 203.0.113.10"));
        PassiveAddresses a = listener(r).data().passiveExternalAddress();
        assertEquals(List.of(), r.problems());
        assertEquals("192.168.1.5", a.forClient(InetAddress.getByName("192.168.7.7")));
        assertEquals("ftp.internal.example", a.forClient(InetAddress.getByName("10.1.1.1")));
        assertEquals("203.0.113.10", a.forClient(InetAddress.getByName("198.51.100.1")));
        assertEquals(null, listener(reader(Map.of())).data().passiveExternalAddress()
                .forClient(InetAddress.getByName("10.1.1.1")));
        assertProblem("'passive.external.address' is '1.2.3.4, 5.6.7.8': two addresses for every client",
                "passive.external.address", "1.2.3.4, 5.6.7.8");
        assertProblem("'10.0.0.0/40=1.2.3.4': '10.0.0.0/40': prefix length must be 0 to 32", "passive.external.address",
                "10.0.0.0/40=1.2.3.4");
        assertProblem("'10.0.0.0/8=' does not end in an IP address or host name", "passive.external.address",
                "10.0.0.0/8=");
    }

    private static void assertProblem(String expected, String key, String value) {
        ConfigReader r = reader(Map.of(key, value));
        listener(r);
        assertEquals(r.problems().toString(), 1, r.problems().size());
        assertTrue(r.problems().get(0), r.problems().get(0).contains(expected));
    }

    @Test
    public void ratesTakeSuffixesAndTheUmaskIsOctal() {
        ConfigReader r = reader(Map.of("upload.rate", "512K", "download.rate", "2m", "rate.scope", "session",
                "umask", "077"));
        ListenerSettings s = listener(r);
        assertEquals(List.of(), r.problems());
        assertEquals(512 * 1024, s.userDefaults().uploadRate());
        assertEquals(2 * 1024 * 1024, s.userDefaults().downloadRate());
        assertTrue(s.userDefaults().ratePerSession());
        assertEquals(077, s.userDefaults().umask());
        ListenerSettings defaults = listener(reader(Map.of()));
        assertEquals(UserDefaults.STANDARD, defaults.userDefaults());
    }

    @Test
    public void badRatesAndUmasksAreNamedWithWhatIsAllowed() {
        ConfigReader r = reader(Map.of("download.rate", "2 MB", "umask", "0999"));
        listener(r);
        assertEquals(List.of("/srv/wharf/etc/dev.wharf.ftp.listener-default.cfg: 'download.rate' is '2 MB': not a "
                + "number of bytes: a whole number, optionally with k, m or g (x1024), such as 512k or 2m",
                "/srv/wharf/etc/dev.wharf.ftp.listener-default.cfg: 'umask' is '0999': not a umask: three octal "
                + "digits such as 022 or 077"), r.problems());
    }

    @Test
    public void aUsersLimitsParseAndBadOnesAreNamed() {
        Map<String, Object> values = new HashMap<>(Map.of("name", "alice", "upload.rate", "", "download.rate", "0",
                "quota.bytes", "10g", "quota.files", "5000", "allow", "192.0.2.0/24, 2001:db8::/32", "umask", "027"));
        values.put("felix.fileinstall.filename", "file:/srv/wharf/etc/dev.wharf.ftp.user-alice.cfg");
        ConfigReader r = new ConfigReader(UserComponent.Config.class, values);
        UserAccount a = ConfiguredUser.limits(r, UserAccount.builder("alice", Path.of("/srv/ftp/alice"))).build();
        assertEquals(List.of(), r.problems());
        assertTrue("empty: the listener's", a.uploadRate().isEmpty());
        assertEquals("0: unlimited", 0, a.downloadRate().getAsLong());
        assertEquals(10L << 30, a.quotaBytes());
        assertEquals(5000, a.quotaFiles());
        assertEquals(List.of("192.0.2.0/24", "2001:db8::/32"), a.allow());
        assertEquals(027, a.umask().getAsInt());
        assertEquals("a copy keeps every value", a.quotaBytes(), UserAccount.builder(a).build().quotaBytes());
        assertEquals(a.allow(), UserAccount.builder(a).build().allow());
        assertEquals(a.umask(), UserAccount.builder(a).build().umask());
        assertEquals(a.downloadRate(), UserAccount.builder(a).build().downloadRate());

        values.putAll(Map.of("deny", "10.0.0.0/8, example.org", "quota.bytes", "-1"));
        ConfigReader bad = new ConfigReader(UserComponent.Config.class, values);
        ConfiguredUser.limits(bad, UserAccount.builder("alice", Path.of("/srv/ftp/alice")));
        assertEquals(2, bad.problems().size());
        assertTrue(bad.problems().toString(), bad.problems().get(0).startsWith(
                "/srv/wharf/etc/dev.wharf.ftp.user-alice.cfg: 'quota.bytes' is '-1': not a number of bytes"));
        assertEquals("/srv/wharf/etc/dev.wharf.ftp.user-alice.cfg: 'deny' is '10.0.0.0/8, example.org': "
                + "'example.org' is not an IP address or CIDR block", bad.problems().get(1));
    }
}
