package dev.wharf.ftp.impl.engine;

import dev.wharf.ftp.impl.protocol.ListenerSettings;
import java.lang.reflect.RecordComponent;

/** Copies of listener settings with one field changed, for tests. */
final class Settings {

    private Settings() {
    }

    static ListenerSettings with(ListenerSettings s, String field, Object value) {
        try {
            RecordComponent[] parts = ListenerSettings.class.getRecordComponents();
            Object[] values = new Object[parts.length];
            Class<?>[] types = new Class<?>[parts.length];
            boolean found = false;
            for (int i = 0; i < parts.length; i++) {
                types[i] = parts[i].getType();
                values[i] = parts[i].getName().equals(field) ? value : parts[i].getAccessor().invoke(s);
                found |= parts[i].getName().equals(field);
            }
            if (!found) {
                throw new IllegalArgumentException("no field " + field);
            }
            return ListenerSettings.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
