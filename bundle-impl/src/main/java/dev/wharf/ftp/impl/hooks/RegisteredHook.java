package dev.wharf.ftp.impl.hooks;

import dev.wharf.ftp.api.hook.FtpHook;
import java.util.Set;

/**
 * A hook service as a listener sees it.
 *
 * @param name how log lines name it (its class and service id)
 * @param listeners the listener names of its {@code wharf.listener} property; empty: every listener
 */
public record RegisteredHook(FtpHook hook, String name, Set<String> listeners) {

    /** Whether the listener of that name uses this hook. */
    public boolean servesListener(String listener) {
        return listeners.isEmpty() || listeners.contains(listener);
    }
}
