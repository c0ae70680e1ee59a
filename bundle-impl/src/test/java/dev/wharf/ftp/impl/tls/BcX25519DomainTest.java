package dev.wharf.ftp.impl.tls;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.junit.Test;

/** The X25519 key exchange that Wharf's TLS crypto uses instead of the JDK's, checked against the JDK's XDH. */
public class BcX25519DomainTest {

    private final TlsCrypto crypto = new JdkTlsCrypto().create(new SecureRandom());

    private TlsAgreement agreement() {
        return crypto.createECDomain(new TlsECConfig(NamedGroup.x25519)).createECDH();
    }

    @Test
    public void agreesWithTheJdksXdh() throws Exception {
        TlsAgreement wharf = agreement();
        byte[] wharfPublic = wharf.generateEphemeral();

        KeyPair jdk = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        byte[] jdkPublic = littleEndian(((java.security.interfaces.XECPublicKey) jdk.getPublic()).getU());
        wharf.receivePeerValue(jdkPublic);

        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(jdk.getPrivate());
        ka.doPhase(KeyFactory.getInstance("XDH").generatePublic(
                new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, reverse(wharfPublic)))), true);
        assertArrayEquals(ka.generateSecret(), wharf.calculateSecret().extract());
    }

    @Test
    public void refusesALowOrderPeerPoint() throws Exception {
        TlsAgreement wharf = agreement();
        wharf.generateEphemeral();
        wharf.receivePeerValue(new byte[32]); // u = 0: every shared secret would be zero
        try {
            wharf.calculateSecret();
            fail("an all-zero shared secret must end the handshake");
        } catch (TlsFatalAlert expected) {
            assertEquals(AlertDescription.handshake_failure, expected.getAlertDescription());
        }
    }

    @Test
    public void refusesAPeerValueOfTheWrongLength() throws Exception {
        TlsAgreement wharf = agreement();
        wharf.generateEphemeral();
        try {
            wharf.receivePeerValue(new byte[31]);
            fail("a 31-byte key share must be refused");
        } catch (TlsFatalAlert expected) {
            assertEquals(AlertDescription.illegal_parameter, expected.getAlertDescription());
        }
    }

    private static byte[] littleEndian(BigInteger u) {
        byte[] big = u.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < Math.min(32, big.length); i++) {
            out[i] = big[big.length - 1 - i];
        }
        return out;
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }
}
