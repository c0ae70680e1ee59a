package dev.wharf.ftp.api.hook;

import dev.wharf.ftp.api.FtpSessionInfo;
import dev.wharf.ftp.api.UserAccount;
import java.nio.file.Path;
import java.util.Optional;

/** A file operation a client asked for, as handed to {@link FtpHook#check(FileOperation)}. */
@org.osgi.annotation.versioning.ProviderType
public interface FileOperation {

    /** What is about to happen. */
    enum Kind {
        /** STOR, APPE or STOU, before the data connection opens. */
        UPLOAD,
        /**
         * Every byte of an upload arrived; the file is complete at {@link #uploadedFile()} but not yet in place.
         * Denying discards it (a new upload never replaces the old file; APPE is cut back to the old length) and
         * the client gets the hook's reply instead of 226.
         */
        UPLOAD_COMPLETE,
        /** RETR, before the data connection opens. */
        DOWNLOAD,
        /** DELE. */
        DELETE,
        /** RNTO (the source came with RNFR); see {@link #targetPath()}. */
        RENAME,
        /** MKD. */
        MAKE_DIRECTORY,
        /** RMD. */
        REMOVE_DIRECTORY
    }

    Kind kind();

    /** The FTP command: STOR, APPE, STOU, RETR, DELE, RNTO, MKD or RMD. */
    String command();

    FtpSessionInfo session();

    /** The logged-in user. */
    UserAccount user();

    /** The client's path, absolute within the user's root (e.g. {@code /in/report.csv}). */
    String path();

    /** Where {@link #path()} is on the server's disk. */
    Path realPath();

    /** A rename's new path as the client sees it; empty for other kinds. */
    Optional<String> targetPath();

    /** A rename's new path on disk; empty for other kinds. */
    Optional<Path> realTargetPath();

    /**
     * For {@link Kind#UPLOAD_COMPLETE}: the file as written, to be read (scanned, checksummed) but not moved or
     * changed: a new upload's temporary file beside its target, or the target itself for APPE and resumed uploads.
     */
    Optional<Path> uploadedFile();

    /** For {@link Kind#UPLOAD_COMPLETE}: the bytes received; 0 otherwise. */
    long bytes();
}
