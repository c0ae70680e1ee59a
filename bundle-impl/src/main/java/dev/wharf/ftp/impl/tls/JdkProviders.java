package dev.wharf.ftp.impl.tls;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;

/**
 * The JDK's own JCA providers, whatever else is installed. In a container other code installs providers
 * globally: Karaf's ssh feature (Apache MINA SSHD) adds a BouncyCastle provider of its own bundle when its server
 * starts. A lookup by algorithm alone then returns that provider wherever the JDK has no such name (BouncyCastle's
 * PEM converter asks for the KeyFactory "ECDSA"), and Wharf would hold keys whose classes belong to another
 * bundle, with BouncyCastle's key names. Wharf asks the JDK's providers by name instead.
 */
final class JdkProviders {

    private JdkProviders() {
    }

    static KeyFactory keyFactory(String algorithm) throws NoSuchAlgorithmException {
        Provider jdk = find("KeyFactory", algorithm);
        return jdk != null ? KeyFactory.getInstance(algorithm, jdk) : KeyFactory.getInstance(algorithm);
    }

    /** The first JDK provider with this service (aliases and OIDs included), or null if none has it. */
    static Provider find(String type, String algorithm) {
        for (Provider p : Security.getProviders()) {
            if (isJdk(p) && p.getService(type, algorithm) != null) {
                return p;
            }
        }
        return null;
    }

    /** A provider of the JDK itself: its class comes from the boot or the platform class loader. */
    static boolean isJdk(Provider provider) {
        ClassLoader loader = provider.getClass().getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }
}
