package dev.wharf.ftp.impl.tls;

import dev.wharf.ftp.api.TlsSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Layers server-side TLS over connected sockets with a configuration's protocols, suites and client auth. */
public final class TlsSockets {

    private TlsSockets() {
    }

    /**
     * Wraps a connected socket in server-mode TLS (the handshake starts on first use or
     * {@link SSLSocket#startHandshake()}).
     *
     * @param alreadyRead bytes the caller read from the socket ahead of the handshake (may be empty)
     */
    public static SSLSocket serverSide(TlsSettings settings, Socket socket, byte[] alreadyRead) throws IOException {
        SSLSocket ssl = (SSLSocket) settings.context().getSocketFactory()
                .createSocket(socket, new ByteArrayInputStream(alreadyRead), true);
        ssl.setUseClientMode(false);
        ssl.setEnabledProtocols(settings.protocols().toArray(new String[0]));
        if (!settings.cipherSuites().isEmpty()) {
            ssl.setEnabledCipherSuites(settings.cipherSuites().toArray(new String[0]));
        }
        switch (settings.clientAuth()) {
            case NEED -> ssl.setNeedClientAuth(true);
            case WANT -> ssl.setWantClientAuth(true);
            default -> ssl.setNeedClientAuth(false);
        }
        // The configured order is the server's preference, as on the JDK's own server sockets; BCJSSE follows the
        // client's unless told (OpenSSL clients put AES-256 first: 14 rounds to AES-128's 10, for no practical gain).
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setUseCipherSuitesOrder(true);
        ssl.setSSLParameters(parameters);
        return ssl;
    }
}
