package dev.wharf.ftp.impl.protocol;

/**
 * The data protection state of RFC 4217: whether PBSZ was given (or implied) and whether data connections are
 * protected (PROT P, AUTH SSL, or a listener whose data connections are always TLS).
 */
final class Protection {

    private final boolean implicitControl;
    private final boolean implicitData;
    private boolean pbsz;
    private boolean protectData;

    /**
     * @param implicitControl TLS from the first byte: PBSZ is implied (RFC 4217 allows PROT at once)
     * @param implicitData every data connection is TLS without PROT P
     */
    Protection(boolean implicitControl, boolean implicitData) {
        this.implicitControl = implicitControl;
        this.implicitData = implicitData;
        reset();
    }

    /** The state right after connecting (REIN returns to it). */
    void reset() {
        pbsz = implicitControl;
        protectData = implicitData;
    }

    /** AUTH completed; AUTH SSL (and TLS-P) of pre-RFC 4217 clients also protect data connections. */
    void tlsStarted(boolean impliesProtP) {
        if (impliesProtP) {
            pbsz = true;
            protectData = true;
        }
    }

    void pbszGiven() {
        pbsz = true;
    }

    boolean pbszDone() {
        return pbsz;
    }

    /** PROT C (false) or P (true). */
    void protectData(boolean value) {
        protectData = value;
    }

    boolean protectsData() {
        return protectData;
    }

    /** Whether data connections are TLS whatever the client asks. */
    boolean dataAlwaysProtected() {
        return implicitData;
    }
}
