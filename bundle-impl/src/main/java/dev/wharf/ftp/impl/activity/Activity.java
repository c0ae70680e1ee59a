package dev.wharf.ftp.impl.activity;

import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.event.FtpEvents;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing that happened on a session, as a topic and properties named by {@link FtpEvents}: the same record
 * becomes an EventAdmin event, an xferlog or JSON line and an audit log line. Immutable once built.
 */
public final class Activity {

    private final String topic;
    private final Map<String, Object> properties;

    private Activity(String topic, Map<String, Object> properties) {
        this.topic = topic;
        this.properties = Collections.unmodifiableMap(properties);
    }

    /** Starts an activity of a session: its listener, id, address, user and control-connection TLS are filled in. */
    public static Builder of(String topic, FtpSessionInfo session) {
        Builder b = new Builder(topic);
        b.put(FtpEvents.TIMESTAMP, System.currentTimeMillis());
        b.put(FtpEvents.LISTENER, session.listenerName());
        b.put(FtpEvents.SESSION_ID, session.id());
        b.put(FtpEvents.REMOTE_ADDRESS, session.remoteAddress().getAddress().getHostAddress());
        b.put(FtpEvents.REMOTE_PORT, session.remoteAddress().getPort());
        b.put(FtpEvents.USER, session.userName());
        b.put(FtpEvents.TLS_PROTOCOL, session.tlsProtocol());
        b.put(FtpEvents.TLS_CIPHER, session.tlsCipher());
        return b;
    }

    /** Starts an activity of the server itself, not of a session (a ban): only the time is filled in. */
    public static Builder of(String topic) {
        return new Builder(topic).put(FtpEvents.TIMESTAMP, System.currentTimeMillis());
    }

    /** An activity without properties, e.g. a marker in a queue of activities. */
    public static Activity marker(String topic) {
        return new Activity(topic, Map.of());
    }

    public String topic() {
        return topic;
    }

    /** The properties, in the order they were added; never null values. */
    public Map<String, Object> properties() {
        return properties;
    }

    public Object get(String property) {
        return properties.get(property);
    }

    /** A property as text, or {@code fallback} when absent. */
    public String text(String property, String fallback) {
        Object v = properties.get(property);
        return v == null ? fallback : v.toString();
    }

    /** A numeric property, or {@code fallback} when absent. */
    public long number(String property, long fallback) {
        return properties.get(property) instanceof Number n ? n.longValue() : fallback;
    }

    /** The operation part of the topic: {@code upload} for {@code dev/wharf/ftp/upload/COMPLETED}. */
    public String operation() {
        int end = topic.lastIndexOf('/');
        return topic.substring(topic.lastIndexOf('/', end - 1) + 1, end);
    }

    @Override
    public String toString() {
        return topic + " " + properties;
    }

    /** Collects an activity's properties; null values are left out. */
    public static final class Builder {
        private final String topic;
        private final Map<String, Object> properties = new LinkedHashMap<>();

        private Builder(String topic) {
            this.topic = topic;
        }

        public Builder put(String property, Object value) {
            if (value != null) {
                properties.put(property, value);
            }
            return this;
        }

        public Activity build() {
            return new Activity(topic, properties);
        }
    }
}
