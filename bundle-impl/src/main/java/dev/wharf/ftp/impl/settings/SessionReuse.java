package dev.wharf.ftp.impl.settings;

/** Whether a TLS data connection must resume the control connection's TLS session ({@code tls.session.reuse}). */
public enum SessionReuse {
    DISABLED,
    ALLOWED,
    REQUIRED
}
