package dev.wharf.ftp.impl.tls;

import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.List;
import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.bouncycastle.util.Arrays;

/**
 * BCJSSE's crypto from the JDK's JCA providers (SunJCE's AES-GCM has AES-NI), with one translation: BCJSSE asks
 * for RSA-PSS signatures by BouncyCastle's names ({@code SHA256WITHRSAANDMGF1}, then {@code SHA256WITHRSASSA-PSS}),
 * which the JDK does not know — it has one {@code RSASSA-PSS} algorithm configured by a {@code PSSParameterSpec},
 * which BCJSSE sets anyway. Without the translation BCJSSE finds no RSA-PSS, and TLS 1.3 (which signs only with
 * RSA-PSS) fails with every RSA certificate: "found no selectable cipher suite".
 *
 * <p>X25519, the key exchange nearly every client offers first, is done by {@link BcX25519Domain}: faster than
 * the JDK's XDH on every full handshake.
 *
 * <p>The large application-data records Wharf sends with AES-GCM are encrypted by {@link GcmRecordEncoder}, which
 * reuses one buffer where BouncyCastle allocates one per record.
 *
 * <p>BCJSSE looks a signer up twice, the second time from the provider of the first, so the names are served by
 * a small private provider whose algorithms are the JDK's {@code RSASSA-PSS} under BouncyCastle's names. It is
 * never installed globally.
 */
final class JdkTlsCrypto extends JcaTlsCryptoProvider {

    private static final Provider PSS_NAMES = new PssNames();

    private final JcaJceHelper helper = new DefaultJcaJceHelper() {
        @Override
        public Signature createSignature(String algorithm) throws NoSuchAlgorithmException {
            // BouncyCastle's names first: asking the JDK for them would fail, and a failed lookup (a search of
            // every provider and an exception) costs every TLS 1.3 handshake with an RSA key
            if (PSS_NAMES.getService("Signature", algorithm) != null) {
                return Signature.getInstance(algorithm, PSS_NAMES);
            }
            return super.createSignature(algorithm);
        }
    };

    @Override
    public JcaJceHelper getHelper() {
        return helper;
    }

    @Override
    public JcaTlsCrypto create(SecureRandom keyRandom, SecureRandom nonceRandom) {
        JcaJceHelper jca = getHelper();
        return new JcaTlsCrypto(jca, getAltHelper(), keyRandom, nonceRandom) {
            @Override
            public TlsECDomain createECDomain(TlsECConfig config) {
                if (config.getNamedGroup() == NamedGroup.x25519) {
                    return new BcX25519Domain(this, getSecureRandom());
                }
                return super.createECDomain(config);
            }

            @Override
            public TlsCipher createCipher(TlsCryptoParameters params, int encryptionAlgorithm, int macAlgorithm)
                    throws IOException {
                TlsCipher cipher = super.createCipher(params, encryptionAlgorithm, macAlgorithm);
                int keySize = aesGcmKeySize(encryptionAlgorithm);
                // Connection IDs are DTLS's (RFC 9146), which Wharf does not speak; BouncyCastle keeps those
                if (keySize == 0 || !Arrays.isNullOrEmpty(
                        params.getSecurityParametersHandshake().getConnectionIDLocal())) {
                    return cipher;
                }
                return new GcmRecordCipher(cipher, new GcmRecordEncoder(params, jca, keySize));
            }
        };
    }

    /** The key size of an AES-GCM suite, 0 for every other cipher. */
    private static int aesGcmKeySize(int encryptionAlgorithm) {
        return switch (encryptionAlgorithm) {
            case EncryptionAlgorithm.AES_128_GCM -> 16;
            case EncryptionAlgorithm.AES_256_GCM -> 32;
            default -> 0;
        };
    }

    /** BouncyCastle's RSA-PSS signature names, each answered by the JDK's RSASSA-PSS. */
    private static final class PssNames extends Provider {
        private static final long serialVersionUID = 1L;

        /** The JDK provider of RSASSA-PSS, found once: searching all providers per handshake showed in profiles. */
        private transient volatile Provider jdkPss;

        Provider jdkPss() throws NoSuchAlgorithmException {
            Provider p = jdkPss;
            if (p == null) {
                p = JdkProviders.find("Signature", "RSASSA-PSS"); // never a provider another bundle installed
                if (p == null) {
                    throw new NoSuchAlgorithmException("no JDK provider offers RSASSA-PSS");
                }
                jdkPss = p;
            }
            return p;
        }

        PssNames() {
            super("WharfRsaPssNames", "1.0", "BouncyCastle RSA-PSS signature names on the JDK's RSASSA-PSS");
            for (String digest : List.of("SHA256", "SHA384", "SHA512")) {
                for (String suffix : List.of("WITHRSAANDMGF1", "WITHRSASSA-PSS")) {
                    putService(new Service(this, "Signature", digest + suffix, "RSASSA-PSS", null, null) {
                        @Override
                        public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                            // A Signature is its own SPI. Bound to a provider now: a lazily bound one would name
                            // the JDK provider again once initialised, and BCJSSE's second lookup would fail.
                            return Signature.getInstance("RSASSA-PSS", jdkPss());
                        }
                    });
                }
            }
        }
    }
}
