package dev.wharf.ftp.impl.data;

import java.io.IOException;

/** A TLS data connection that could not be set up or was refused by policy; the message suits a 4xx reply. */
public final class DataTlsException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataTlsException(String message) {
        super(message);
    }

    public DataTlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
