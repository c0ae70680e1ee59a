package dev.wharf.ftp.impl.tls;

import java.security.Provider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * The one BouncyCastle JSSE provider instance Wharf uses. It is held here, never installed with
 * {@code Security.addProvider}, and built with its default constructor so that its symmetric crypto comes
 * from the JDK's JCA providers (SunJCE's AES-GCM uses AES-NI; BouncyCastle's own AES is pure Java and costs
 * about ten times the CPU per byte).
 */
public final class TlsProvider {

    private static final Provider JSSE = new BouncyCastleJsseProvider();

    private TlsProvider() {
    }

    public static Provider jsse() {
        return JSSE;
    }
}
