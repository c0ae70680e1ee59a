package dev.wharf.ftp.api;

/** How much of a session must be protected by TLS; a user's requirement can only tighten a listener's. */
public enum TlsRequirement {
    /** TLS is offered, not required. */
    NONE,
    /** No login before AUTH: the password never crosses in the clear. */
    CONTROL,
    /** As CONTROL, and every data connection protected (PROT P). */
    ALL;

    /** The stricter of the two. */
    public TlsRequirement and(TlsRequirement other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
