package dev.wharf.ftp.impl.tls;

import java.security.Provider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * The one BouncyCastle JSSE provider instance Wharf uses. It is held here, never installed with
 * {@code Security.addProvider}, and its crypto comes from the JDK's JCA providers through {@link JdkTlsCrypto}
 * (SunJCE's AES-GCM uses AES-NI; BouncyCastle's own AES is pure Java and costs about ten times the CPU per byte).
 *
 * <p>How much BCJSSE logs is the runtime's business, not this bundle's: its loggers are shared by every bundle of
 * a Karaf. The launcher quiets them (see its Main); in Karaf, etc/org.ops4j.pax.logging.cfg does (README).
 */
public final class TlsProvider {

    private static final Provider JSSE = new BouncyCastleJsseProvider(false, new JdkTlsCrypto());

    private TlsProvider() {
    }

    public static Provider jsse() {
        return JSSE;
    }
}
