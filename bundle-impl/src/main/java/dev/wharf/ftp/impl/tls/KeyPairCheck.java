package dev.wharf.ftp.impl.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;

/** Proves that a private key belongs to a certificate by signing a challenge and verifying it. */
final class KeyPairCheck {

    private KeyPairCheck() {
    }

    /**
     * @param from where the material was read, for the message
     * @param keyKey the configuration key to name when the key does not match
     * @throws TlsConfigException naming the certificate when the key is another's, and the real cause when the
     *     check itself cannot run (a provider that cannot handle the key, say)
     */
    static void requireMatch(PrivateKey privateKey, X509Certificate certificate, String from, String keyKey)
            throws TlsConfigException {
        PublicKey publicKey = certificate.getPublicKey();
        String subject = "certificate '" + certificate.getSubjectX500Principal() + "'";
        String type = type(publicKey);
        if (!type(privateKey).equals(type)) {
            throw new TlsConfigException(keyKey, from + ": the private key is " + type(privateKey) + " but "
                    + subject + " has a " + type + " key");
        }
        String algorithm = switch (type) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (algorithm == null) {
            return; // other key types are checked by the first handshake
        }
        boolean verified;
        try {
            byte[] challenge = "wharf key check".getBytes(StandardCharsets.US_ASCII);
            // No provider is named: the JCA picks one that takes the key (whoever made it)
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            verified = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(null, from + ": cannot check that the private key belongs to " + subject, e);
        }
        if (!verified) {
            throw new TlsConfigException(keyKey, from + ": the private key does not belong to " + subject);
        }
    }

    /** The key's type by what it is, not by its provider's name for it (BouncyCastle calls an EC key "ECDSA"). */
    static String type(Key key) {
        return key instanceof ECKey || "ECDSA".equalsIgnoreCase(key.getAlgorithm()) ? "EC" : key.getAlgorithm();
    }
}
