package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.impl.activity.Activities;
import dev.wharf.ftp.impl.activity.ActivitySink;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Posts what sessions report as EventAdmin events (topics and properties in {@code dev.wharf.ftp.api.event}),
 * while an EventAdmin is there. {@link EventAdmin#postEvent} only queues: handlers run on EventAdmin's own
 * threads, so a slow handler never holds up a session or a transfer. Without an EventAdmin this component stays
 * unsatisfied and nothing is built for events at all (the bundle imports the event package optionally).
 */
@Component(service = {}, immediate = true)
public final class EventAdminBridge {

    private final Activities activities;
    private final ActivitySink sink;

    @Activate
    public EventAdminBridge(@Reference EventAdmin eventAdmin, @Reference ServerRuntimeComponent runtime) {
        this.activities = runtime.runtime().activities();
        this.sink = activity -> eventAdmin.postEvent(new Event(activity.topic(), activity.properties()));
        activities.add(sink, topic -> true);
    }

    @Deactivate
    void deactivate() {
        activities.remove(sink);
    }
}
