package dev.wharf.ftp.impl.management;

import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.impl.activity.Activities;
import dev.wharf.ftp.impl.activity.Activity;
import dev.wharf.ftp.impl.activity.ActivitySink;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The counters of one listener since it was configured: what its endpoint admits and refuses (counted by the
 * endpoint, which alone sees it) and what its sessions report as activities (logins, transfers and their bytes),
 * counted here as a sink. Counting only adds to {@link LongAdder}s, so it never holds up a session.
 */
public final class ListenerStatistics implements ActivitySink {

    /** The activity topics counted: logins and file transfers. */
    public static final Predicate<String> TOPICS = Activities.topics(List.of(FtpEvents.LOGIN_SUCCEEDED,
            FtpEvents.LOGIN_FAILED, "dev/wharf/ftp/upload/*", "dev/wharf/ftp/download/*"));

    private final String listener;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder handshakesFailed = new LongAdder();
    private final LongAdder loginsSucceeded = new LongAdder();
    private final Map<String, LongAdder> loginsFailed = new ConcurrentHashMap<>();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final Map<String, LongAdder> transfers = new ConcurrentHashMap<>();

    /** @param listener the name of the listener whose sessions' activities are counted */
    public ListenerStatistics(String listener) {
        this.listener = listener;
    }

    public String listener() {
        return listener;
    }

    /** A connection passed the address filter and the limits and got a session. */
    public void connectionAccepted() {
        accepted.increment();
    }

    /** A connection was refused before its session began (allow/deny, limits, drain, unusable TLS). */
    public void connectionRefused() {
        refused.increment();
    }

    /** A TLS handshake, on a control or a data connection, failed. */
    public void handshakeFailed() {
        handshakesFailed.increment();
    }

    @Override
    public void accept(Activity activity) {
        if (!listener.equals(activity.get(FtpEvents.LISTENER))) {
            return;
        }
        String topic = activity.topic();
        if (topic.equals(FtpEvents.LOGIN_SUCCEEDED)) {
            loginsSucceeded.increment();
        } else if (topic.equals(FtpEvents.LOGIN_FAILED)) {
            count(loginsFailed, activity.text(FtpEvents.REASON, "unknown"));
        } else {
            String operation = activity.operation();
            long bytes = activity.number(FtpEvents.BYTES, 0);
            (operation.equals("upload") ? bytesIn : bytesOut).add(bytes);
            count(transfers, topic.substring(topic.lastIndexOf('/') + 1));
        }
    }

    private static void count(Map<String, LongAdder> counters, String key) {
        counters.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    public long connectionsAccepted() {
        return accepted.sum();
    }

    public long connectionsRefused() {
        return refused.sum();
    }

    public long tlsHandshakesFailed() {
        return handshakesFailed.sum();
    }

    public long loginsSucceeded() {
        return loginsSucceeded.sum();
    }

    /** Failed logins for one reason ({@code FtpEvents.REASON_*}). */
    public long loginsFailed(String reason) {
        LongAdder a = loginsFailed.get(reason);
        return a == null ? 0 : a.sum();
    }

    /** Failed logins, whatever the reason. */
    public long loginsFailed() {
        return loginsFailed.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    /** File transfers (uploads and downloads) that ended with this result ({@code FtpEvents.RESULT_*}). */
    public long transfers(String result) {
        LongAdder a = transfers.get(result);
        return a == null ? 0 : a.sum();
    }
}
