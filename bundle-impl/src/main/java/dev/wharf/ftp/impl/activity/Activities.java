package dev.wharf.ftp.impl.activity;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where sessions report what happens, and who listens: sinks come and go at run time (EventAdmin appearing, a
 * transfer log configured). With nobody listening for a topic, an activity of it is not even built.
 */
public final class Activities {

    private static final Logger LOG = Logger.getLogger(Activities.class.getName());
    /** A failing sink is reported once a minute at most, not once per file. */
    private static final long FAILURE_LOG_INTERVAL_NANOS = 60_000_000_000L;

    private record Subscription(ActivitySink sink, Predicate<String> topics) {
    }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private volatile long lastFailureLogged = System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS;

    /** Adds a sink for the topics it wants; {@link #remove} takes it away again. */
    public void add(ActivitySink sink, Predicate<String> topics) {
        subscriptions.add(new Subscription(sink, topics));
    }

    public void remove(ActivitySink sink) {
        subscriptions.removeIf(s -> s.sink() == sink);
    }

    /** Whether any sink wants activities of this topic. */
    public boolean wants(String topic) {
        for (Subscription s : subscriptions) {
            if (s.topics().test(topic)) {
                return true;
            }
        }
        return false;
    }

    /** Builds the activity only when a sink wants its topic, and hands it to each that does. */
    public void report(String topic, Supplier<Activity> activity) {
        if (wants(topic)) {
            publish(activity.get());
        }
    }

    /** Hands the activity to every sink that wants its topic; a sink that throws does not stop the others. */
    public void publish(Activity activity) {
        for (Subscription s : subscriptions) {
            if (!s.topics().test(activity.topic())) {
                continue;
            }
            try {
                s.sink().accept(activity);
            } catch (RuntimeException e) {
                long now = System.nanoTime();
                if (now - lastFailureLogged > FAILURE_LOG_INTERVAL_NANOS) {
                    lastFailureLogged = now;
                    LOG.log(Level.WARNING, "an activity sink failed on " + activity.topic()
                            + " (reported once a minute at most)", e);
                }
            }
        }
    }

    /** A topic filter in EventAdmin's style: exact topics, or a prefix ending in {@code /*}. */
    public static Predicate<String> topics(List<String> patterns) {
        return topic -> {
            for (String p : patterns) {
                if (p.equals("*") || p.equals(topic)
                        || p.endsWith("/*") && topic.startsWith(p.substring(0, p.length() - 1))) {
                    return true;
                }
            }
            return false;
        };
    }
}
