package dev.wharf.ftp.impl.protocol;

/**
 * The one transfer a session may have running. Commands that must not overlap a transfer wait here; the transfer
 * leaves the slot before its final reply, so that a client's next command finds the session idle.
 */
final class TransferSlot {

    private volatile Transfer running;

    /** The running transfer, or null. */
    Transfer current() {
        return running;
    }

    boolean busy() {
        return running != null;
    }

    synchronized void occupy(Transfer t) {
        running = t;
    }

    /** Leaves the slot if {@code t} still holds it (once; also when no final reply could be sent). */
    synchronized void leave(Transfer t) {
        if (running == t) {
            running = null;
            notifyAll();
        }
    }

    /** Blocks until no transfer runs (an interrupt ends the wait early and is kept). */
    synchronized void awaitFree() {
        while (running != null) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Blocks until no transfer runs or the time is up, whichever comes first. */
    synchronized void awaitFree(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (running != null && System.currentTimeMillis() < deadline) {
            try {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Aborts the running transfer, if any; it then leaves the slot by itself. */
    void abort() {
        Transfer t = running;
        if (t != null) {
            t.abort();
        }
    }
}
