package dev.wharf.ftp.impl.settings;

import dev.wharf.ftp.api.TlsRequirement;

/**
 * How a listener uses TLS.
 *
 * @param implicitSsl TLS from the first byte
 * @param required what must be protected before a login and for data
 * @param dataImplicitSsl every data connection is TLS without PROT P
 * @param sessionReuse whether TLS data connections must resume the control connection's session
 * @param handshakeTimeoutSeconds the whole TLS handshake must finish within this, however the client trickles
 */
public record TlsPolicy(boolean implicitSsl, TlsRequirement required, boolean dataImplicitSsl,
        SessionReuse sessionReuse, int handshakeTimeoutSeconds) {
}
