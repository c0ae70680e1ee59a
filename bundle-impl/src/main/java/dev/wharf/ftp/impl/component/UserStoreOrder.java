package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.api.UserStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which listeners consult user stores: highest {@code service.ranking} first, and among equal
 * rankings the store registered first (lowest {@code service.id}), as the framework orders services. The ranking
 * is read leniently because a {@code .cfg} file gives {@code service.ranking = 10} as text, which the framework
 * itself would count as 0.
 */
final class UserStoreOrder {

    private UserStoreOrder() {
    }

    /** The stores, most important first. */
    static List<UserStore> byRank(List<Map.Entry<Map<String, Object>, UserStore>> stores) {
        List<Map.Entry<Map<String, Object>, UserStore>> sorted = new ArrayList<>(stores);
        sorted.sort(Comparator.comparingInt((Map.Entry<Map<String, Object>, UserStore> e) -> ranking(e.getKey()))
                .reversed().thenComparingLong(e -> serviceId(e.getKey())));
        List<UserStore> out = new ArrayList<>(sorted.size());
        sorted.forEach(e -> out.add(e.getValue()));
        return out;
    }

    static int ranking(Map<String, ?> properties) {
        Object value = properties.get("service.ranking");
        if (value instanceof Integer i) {
            return i;
        }
        if (value != null) {
            try {
                return Integer.parseInt(value.toString().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private static long serviceId(Map<String, ?> properties) {
        return properties.get("service.id") instanceof Long id ? id : Long.MAX_VALUE;
    }
}
