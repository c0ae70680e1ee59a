package dev.wharf.ftp.impl.fs;

import java.nio.file.FileSystemException;

/** A path that names a directory (or a device, a FIFO) where a plain file is needed, or the other way round. */
public final class NotAFileException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    private final boolean directory;

    NotAFileException(String path, boolean directory, String reason) {
        super(path, null, reason);
        this.directory = directory;
    }

    /** Whether the path names a directory (else something that is neither a plain file nor a directory). */
    public boolean isDirectory() {
        return directory;
    }
}
