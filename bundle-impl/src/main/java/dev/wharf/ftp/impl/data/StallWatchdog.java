package dev.wharf.ftp.impl.data;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Breaks data connections that make no progress for their data timeout: blocking writes have no timeout of
 * their own, so a client that stops reading would otherwise hold a transfer (and its file) forever. Its owner
 * (the server runtime) calls {@link #check()} once a second; it holds no thread of its own.
 */
public final class StallWatchdog {

    private static final Logger LOG = Logger.getLogger(StallWatchdog.class.getName());

    private final Set<DataConnection> watched = ConcurrentHashMap.newKeySet();

    void watch(DataConnection c) {
        watched.add(c);
    }

    void forget(DataConnection c) {
        watched.remove(c);
    }

    /** Closes every watched connection that has made no progress for its timeout. */
    public void check() {
        long now = System.nanoTime();
        for (DataConnection c : watched) {
            if (c.stalledSince(now)) {
                LOG.info(() -> "data connection " + c + " made no progress for its data timeout; closing it");
                c.timeOut();
            }
        }
    }

    /** The number of data connections being watched (open ones). */
    public int size() {
        return watched.size();
    }
}
