package dev.wharf.ftp.impl.protocol;

/**
 * A session's total deadlines: for its TLS handshake, for its login and for a command line once begun. Unlike an
 * idle timeout, a client that trickles a byte at a time cannot stretch them. Times are System.nanoTime(); the
 * listener's timer asks about once a second which one has passed.
 */
final class SessionDeadlines {

    /** The deadline that passed. */
    enum Passed { HANDSHAKE, LOGIN, COMMAND_LINE }

    // 0 while none runs
    private volatile long handshakeBy;
    private volatile long loginBy;

    void handshakeStarted(long timeoutMillis) {
        handshakeBy = System.nanoTime() + timeoutMillis * 1_000_000L;
    }

    void handshakeEnded() {
        handshakeBy = 0;
    }

    /** Starts the clock within which the client must log in (again, after REIN). */
    void loginStarted(int timeoutSeconds) {
        loginBy = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    }

    void loggedIn() {
        loginBy = 0;
    }

    /**
     * @param partialLineSince when the command line being read got its first byte, 0 when none is begun
     * @return the first deadline that has passed at {@code now}, or null
     */
    Passed passed(long now, long partialLineSince, int commandTimeoutSeconds) {
        long handshake = handshakeBy;
        if (handshake != 0 && now - handshake > 0) {
            return Passed.HANDSHAKE;
        }
        long login = loginBy;
        if (login != 0 && now - login > 0) {
            return Passed.LOGIN;
        }
        if (partialLineSince != 0 && now - partialLineSince > commandTimeoutSeconds * 1_000_000_000L) {
            return Passed.COMMAND_LINE;
        }
        return null;
    }
}
