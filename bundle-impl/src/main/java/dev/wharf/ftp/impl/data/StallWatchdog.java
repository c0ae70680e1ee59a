package dev.wharf.ftp.impl.data;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Breaks data connections that make no progress for their data timeout: blocking writes have no timeout of
 * their own, so a client that stops reading would otherwise hold a transfer (and its file) forever. One daemon
 * thread checks every open data connection once a second.
 */
final class StallWatchdog {

    private static final Logger LOG = Logger.getLogger(StallWatchdog.class.getName());
    private static final Set<DataConnection> WATCHED = ConcurrentHashMap.newKeySet();

    static {
        Thread t = new Thread(StallWatchdog::loop, "wharf-data-watchdog");
        t.setDaemon(true);
        t.start();
    }

    private StallWatchdog() {
    }

    static void watch(DataConnection c) {
        WATCHED.add(c);
    }

    static void forget(DataConnection c) {
        WATCHED.remove(c);
    }

    private static void loop() {
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (DataConnection c : WATCHED) {
                if (c.stalledSince(now)) {
                    LOG.info("data connection " + c + " made no progress for its data timeout; closing it");
                    c.timeOut();
                }
            }
        }
    }
}
