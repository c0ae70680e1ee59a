package dev.wharf.ftp.impl.activity;

/** Takes activities as they happen: EventAdmin, a transfer log, the audit log. */
@FunctionalInterface
public interface ActivitySink {

    /**
     * Takes one activity. Called on the thread where it happened (a session or transfer worker), so it must not
     * block: queue what takes time.
     */
    void accept(Activity activity);
}
