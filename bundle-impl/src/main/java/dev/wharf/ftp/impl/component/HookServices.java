package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.api.hook.FtpHook;
import dev.wharf.ftp.impl.hooks.RegisteredHook;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/** Turns the hook services SCR hands a listener into the engine's {@link RegisteredHook}s. */
final class HookServices {

    private HookServices() {
    }

    /**
     * The hooks, highest service ranking first (SCR keeps a dynamic reference's services in ascending order).
     *
     * @param services each hook with its service properties; may be null before SCR bound any
     */
    static List<RegisteredHook> byRank(List<Map.Entry<Map<String, Object>, FtpHook>> services) {
        if (services == null || services.isEmpty()) {
            return List.of();
        }
        List<RegisteredHook> out = new ArrayList<>(services.size());
        for (int i = services.size() - 1; i >= 0; i--) {
            Map.Entry<Map<String, Object>, FtpHook> e = services.get(i);
            Map<String, Object> props = e.getKey();
            out.add(new RegisteredHook(e.getValue(), e.getValue().getClass().getName() + " (service "
                    + props.get(Constants.SERVICE_ID) + ")", names(props.get(FtpHook.LISTENER_PROPERTY))));
        }
        return out;
    }

    /** The listener names of a {@code wharf.listener} property: one String, an array or a collection. */
    private static Set<String> names(Object value) {
        Set<String> names = new LinkedHashSet<>();
        if (value instanceof String s) {
            names.add(s.trim());
        } else if (value instanceof String[] array) {
            for (String s : array) {
                names.add(s.trim());
            }
        } else if (value instanceof Collection<?> c) {
            c.forEach(o -> names.add(String.valueOf(o).trim()));
        }
        names.remove("");
        return Set.copyOf(names);
    }

    /** Why a hooks.target value is not a usable filter, if it is not. */
    static Optional<String> checkFilter(String filter) {
        try {
            FrameworkUtil.createFilter(filter);
            return Optional.empty();
        } catch (InvalidSyntaxException e) {
            return Optional.of("is '" + filter + "', not an LDAP filter such as (team=finance)");
        }
    }
}
