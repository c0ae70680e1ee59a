package dev.wharf.ftp.impl.component;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.impl.protocol.ListenerSettings;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.Test;

/** Configuration values as a .cfg file or the Web Console gives them: good ones parse, bad ones are named. */
public class ConfigurationValuesTest {

    /** A component property type instance: the given values, the annotation's defaults for the rest. */
    @SuppressWarnings("unchecked")
    static <A> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String key = method.getName().replace('_', '.');
            Object v = values.containsKey(key) ? values.get(key) : method.getDefaultValue();
            return v;
        });
    }

    private static ListenerSettings listener(Map<String, Object> values) {
        return ListenerComponent.settings(config(ListenerComponent.Config.class, values));
    }

    @Test
    public void defaultsAreStrict() {
        ListenerSettings s = listener(Map.of());
        assertEquals(2121, s.port());
        assertEquals(TlsRequirement.NONE, s.tlsRequired());
        assertEquals(ListenerSettings.SessionReuse.REQUIRED, s.tlsSessionReuse());
        assertTrue(s.dataIpCheck());
        assertEquals(3, s.maxLoginFailures());
    }

    @Test
    public void parsesChoicesInAnyCase() {
        ListenerSettings s = listener(Map.of("tls.required", "ALL", "tls.session.reuse", "Allowed",
                "passive.ports", "30000-30009"));
        assertEquals(TlsRequirement.ALL, s.tlsRequired());
        assertEquals(ListenerSettings.SessionReuse.ALLOWED, s.tlsSessionReuse());
        assertEquals(10, s.passivePorts().size());
    }

    @Test
    public void namesTheKeyAndTheAllowedValuesOfABadOne() {
        assertMessage("'tls.required' is 'maybe'; allowed: none, control, all", Map.of("tls.required", "maybe"));
        assertMessage("'tls.session.reuse' is 'sometimes'", Map.of("tls.session.reuse", "sometimes"));
        assertMessage("port 99999", Map.of("passive.ports", "99999"));
        assertMessage("'example.com' is not an IP address", Map.of("allow", "example.com"));
        assertMessage("'idle.timeout' must be at least 1 second", Map.of("idle.timeout", 0));
    }

    private static void assertMessage(String expected, Map<String, Object> values) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> listener(values));
        assertTrue(e.getMessage(), e.getMessage().contains(expected));
    }
}
