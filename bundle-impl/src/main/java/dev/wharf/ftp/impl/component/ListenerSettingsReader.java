package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.impl.fs.FileModes;
import dev.wharf.ftp.impl.fs.VirtualFileSystem;
import dev.wharf.ftp.impl.settings.AddressBlocks;
import dev.wharf.ftp.impl.settings.AnonymousAccess;
import dev.wharf.ftp.impl.settings.ByteSize;
import dev.wharf.ftp.impl.settings.IpFilter;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import dev.wharf.ftp.impl.settings.PassiveAddresses;
import dev.wharf.ftp.impl.settings.PortRanges;
import dev.wharf.ftp.impl.settings.ProxyPolicy;
import dev.wharf.ftp.impl.settings.ProxyProtocol;
import dev.wharf.ftp.impl.settings.SessionReuse;
import dev.wharf.ftp.impl.settings.UserDefaults;

/**
 * A listener's configuration read into {@link ListenerSettings}: each key checked and converted, and every value
 * that does not fit recorded in the {@link ConfigReader} (which the component then logs and refuses to run with).
 * Plain Java apart from the reader, so that what a .cfg key means can be read and tested without OSGi.
 */
final class ListenerSettingsReader {

    private ListenerSettingsReader() {
    }

    /** The listener settings of a configuration; values that do not fit are recorded in the reader. */
    static ListenerSettings settings(ConfigReader c) {
        String name = c.text("name");
        if (name.isEmpty()) {
            c.problem("name", "is empty; every listener needs a name");
        }
        return ListenerSettings.builder(name)
                .host(c.text("host"))
                .port(c.integer("port", 0, 65535))
                .implicitSsl(c.bool("implicit.ssl"))
                .tlsRequired(c.choice("tls.required", TlsRequirement.class))
                .dataImplicitSsl(c.bool("data.implicit.ssl"))
                .tlsSessionReuse(c.choice("tls.session.reuse", SessionReuse.class))
                .handshakeTimeoutSeconds(c.integer("handshake.timeout", 1, 3600))
                .passivePorts(c.parsed("passive.ports", PortRanges::parse, PortRanges.ANY))
                .passiveAddress(c.optionalText("passive.address"))
                .passiveExternalAddress(c.parsed("passive.external.address", PassiveAddresses::parse,
                        PassiveAddresses.NONE))
                .activeEnabled(c.bool("active.enabled"))
                .activeLocalPort(c.integer("active.local.port", 0, 65535))
                .dataIpCheck(c.bool("data.ip.check"))
                .dataTimeoutSeconds(c.integer("data.timeout", 1, Integer.MAX_VALUE))
                .idleTimeoutSeconds(c.integer("idle.timeout", 1, Integer.MAX_VALUE))
                .loginTimeoutSeconds(c.integer("login.timeout", 1, Integer.MAX_VALUE))
                .commandTimeoutSeconds(c.integer("command.timeout", 1, 3600))
                .maxConnections(c.integer("max.connections", 0, Integer.MAX_VALUE))
                .maxConnectionsPerIp(c.integer("max.connections.per.ip", 0, Integer.MAX_VALUE))
                .maxLoginFailures(c.integer("max.login.failures", 0, Integer.MAX_VALUE))
                .loginFailureDelayMillis(c.integer("login.failure.delay", 0, Integer.MAX_VALUE))
                .ipFilter(ipFilter(c))
                .syncUploads(c.bool("upload.sync"))
                .hookTimeoutSeconds(c.integer("hook.timeout", 1, 3600))
                .proxy(proxyPolicy(c))
                .anonymous(anonymous(c))
                .userDefaults(new UserDefaults(c.parsed("upload.rate", ByteSize::parse, 0L),
                        c.parsed("download.rate", ByteSize::parse, 0L),
                        c.choice("rate.scope", RateScope.class) == RateScope.SESSION,
                        c.parsed("umask", FileModes::parseUmask, 022)))
                .stopGraceSeconds(c.integer("stop.grace", 0, 86400))
                .drain(c.bool("drain"))
                .build();
    }

    private static ProxyPolicy proxyPolicy(ConfigReader c) {
        ProxyProtocol protocol = c.choice("proxy.protocol", ProxyProtocol.class);
        int before = c.problems().size();
        AddressBlocks trusted = c.parsed("proxy.trusted", AddressBlocks::parse, AddressBlocks.NONE);
        if (protocol == ProxyProtocol.NONE || c.problems().size() > before) {
            return ProxyPolicy.NONE;
        }
        if (trusted.isEmpty()) {
            c.problem("proxy.trusted", "is empty; with proxy.protocol = " + ConfigReader.label(protocol)
                    + " it must list the load balancers' addresses (e.g. 10.0.0.5/32): only they may connect");
            return ProxyPolicy.NONE;
        }
        return new ProxyPolicy(protocol, trusted);
    }

    private static AnonymousAccess anonymous(ConfigReader c) {
        java.nio.file.Path root = c.path("anonymous.root");
        String dropBox = c.optionalText("anonymous.incoming");
        if (!c.bool("anonymous")) {
            return AnonymousAccess.OFF;
        }
        if (root == null) {
            c.problem("anonymous.root", "is missing; anonymous access needs a directory of its own (an absolute "
                    + "path)");
            return AnonymousAccess.OFF;
        }
        String box = dropBox == null ? null : VirtualFileSystem.normalize("/", dropBox);
        if ("/".equals(box)) {
            c.problem("anonymous.incoming", "is '" + dropBox + "', not a directory below the anonymous root such "
                    + "as /incoming");
            return AnonymousAccess.OFF;
        }
        return new AnonymousAccess(root, box);
    }

    /** What a rate limit is shared by. */
    enum RateScope {
        USER, SESSION
    }

    private static IpFilter ipFilter(ConfigReader c) {
        int before = c.problems().size();
        c.parsed("allow", a -> IpFilter.parse(a, ""), null); // each list on its own, so each is named
        c.parsed("deny", d -> IpFilter.parse("", d), null);
        return c.problems().size() > before ? IpFilter.ALLOW_ALL : IpFilter.parse(c.text("allow"), c.text("deny"));
    }
}
