package dev.wharf.ftp.impl.fs;

import java.io.IOException;
import java.util.Locale;

/**
 * A failure of the storage side of a transfer (writing or reading the file), as opposed to the network side.
 * Clients retry a 426 (network) but should not retry a full disk, so the two must be told apart: a full disk is
 * 452, an exceeded quota 552, any other storage error 451.
 */
public final class StorageFailure extends IOException {
    private static final long serialVersionUID = 1L;

    /** What kind of storage failure, for the reply code. */
    public enum Kind {
        /** No space left on the device (ENOSPC): 452. */
        NO_SPACE,
        /** A storage quota is exhausted (EDQUOT, or Wharf's own quota): 552. */
        QUOTA,
        /** Anything else (an I/O error, a file that vanished): 451. */
        OTHER
    }

    private final Kind kind;

    public StorageFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Classifies an I/O error of the file side by the operating system's words for it. */
    public static StorageFailure of(String what, IOException cause) {
        if (cause instanceof StorageFailure already) {
            return already;
        }
        String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        Kind kind = m.contains("no space left") ? Kind.NO_SPACE
                : m.contains("quota") ? Kind.QUOTA : Kind.OTHER;
        return new StorageFailure(kind, what + ": " + cause.getMessage(), cause);
    }
}
