package dev.wharf.ftp.impl.component;

import java.util.List;
import java.util.stream.Stream;

/**
 * The configuration PIDs of Wharf's components, in one list for the components that look after Wharf's
 * configuration files, so that a new kind of configuration is added to all of them at once.
 */
final class WharfPids {

    /** One configuration per listener, SSL configuration, user, JAAS store and transfer log. */
    static final List<String> FACTORIES = List.of("dev.wharf.ftp.listener", "dev.wharf.ftp.ssl",
            "dev.wharf.ftp.user", "dev.wharf.ftp.jaas", "dev.wharf.ftp.xferlog");

    /** The factories and the defender's single configuration. */
    static final List<String> ALL = Stream.concat(FACTORIES.stream(), Stream.of("dev.wharf.ftp.defender")).toList();

    private WharfPids() {
    }
}
