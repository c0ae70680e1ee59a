package dev.wharf.ftp.impl.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsCryptoUtils;
import org.bouncycastle.tls.crypto.TlsEncodeResult;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.impl.TlsImplUtils;

/**
 * Encrypts this side's large application-data records with AES-GCM (TLS 1.2 by RFC 5288, TLS 1.3 by RFC 8446
 * section 5) into one buffer kept for the connection. BouncyCastle's own record cipher allocates a fresh array for
 * every record and copies the plaintext into it to encrypt it in place: for a download that is a new 16 KiB array
 * per record, zeroed, filled and thrown away, which cost as much server CPU as the encryption itself on Java 25.
 * Here the JDK's cipher writes the ciphertext straight from the caller's plaintext into the kept buffer.
 *
 * <p>{@link GcmRecordCipher} hands it application data only, which BouncyCastle writes under one lock, each record
 * to the transport before it encodes the next: that is what makes reusing the buffer safe. Only ciphertext is ever
 * written to it. The JDK cipher is created at the first record, so a connection that never sends a large one (a
 * control connection) does not pay for it. Every nonce comes from the record sequence number, as in BouncyCastle's
 * cipher, which encrypts this connection's other records under the same key: a sequence number is used once, by
 * one of the two, so nonces never repeat.
 */
final class GcmRecordEncoder {

    private static final int TAG_BYTES = 16;
    /** TLS 1.2: a 4-byte salt from the key block, then the 8-byte explicit nonce sent in each record. */
    private static final int TLS12_SALT = 4;
    private static final int TLS12_EXPLICIT_NONCE = 8;
    private static final int NONCE_BYTES = 12;

    private final TlsCryptoParameters params;
    private final JcaJceHelper helper;
    private Cipher cipher;
    private final int keySize;
    private final boolean tls13;
    /** TLS 1.2: the salt in its first 4 bytes; TLS 1.3: the 12-byte IV that each sequence number is XORed into. */
    private final byte[] fixedIv = new byte[NONCE_BYTES];
    private final byte[] nonce = new byte[NONCE_BYTES];
    private final byte[] additionalData;
    /** TLS 1.3: the inner plaintext ends with its real content type, always application data here. */
    private static final byte[] INNER_TYPE = {(byte) ContentType.application_data};
    private SecretKeySpec key;
    private byte[] record = new byte[0];

    GcmRecordEncoder(TlsCryptoParameters params, JcaJceHelper helper, int keySize) throws IOException {
        this.params = params;
        this.helper = helper;
        this.keySize = keySize;
        SecurityParameters security = params.getSecurityParametersHandshake();
        this.tls13 = TlsImplUtils.isTLSv13(security.getNegotiatedVersion());
        this.additionalData = new byte[tls13 ? 5 : 13];
        if (tls13) {
            keyFrom(security);
        } else {
            keyFromKeyBlock();
        }
    }

    /** TLS 1.3 KeyUpdate: the next keys come from this side's updated traffic secret. */
    synchronized void rekey() throws IOException {
        if (!tls13) {
            throw new TlsFatalAlert(AlertDescription.internal_error);
        }
        keyFrom(params.getSecurityParametersConnection());
    }

    /**
     * Encrypts one application-data record. The record's header is left to the caller, in the first
     * {@code headerBytes} bytes of the result.
     */
    synchronized TlsEncodeResult encode(long seqNo, ProtocolVersion recordVersion, int headerBytes, byte[] plaintext,
            int offset, int length) throws IOException {
        int ciphertextLength = tls13 ? length + 1 + TAG_BYTES : TLS12_EXPLICIT_NONCE + length + TAG_BYTES;
        byte[] out = buffer(headerBytes + ciphertextLength);
        int position = headerBytes;
        try {
            if (tls13) {
                System.arraycopy(fixedIv, 0, nonce, 0, NONCE_BYTES);
                for (int i = 0; i < 8; i++) {
                    nonce[NONCE_BYTES - 1 - i] ^= (byte) (seqNo >>> (8 * i));
                }
                additionalData[0] = (byte) ContentType.application_data;
                TlsUtils.writeVersion(recordVersion, additionalData, 1);
                TlsUtils.writeUint16(ciphertextLength, additionalData, 3);
                start();
                // no padding after the inner type
                position += cipher.update(plaintext, offset, length, out, position);
                position += cipher.doFinal(INNER_TYPE, 0, 1, out, position);
            } else {
                System.arraycopy(fixedIv, 0, nonce, 0, TLS12_SALT);
                TlsUtils.writeUint64(seqNo, nonce, TLS12_SALT);
                System.arraycopy(nonce, TLS12_SALT, out, position, TLS12_EXPLICIT_NONCE);
                position += TLS12_EXPLICIT_NONCE;
                TlsUtils.writeUint64(seqNo, additionalData, 0);
                TlsUtils.writeUint8(ContentType.application_data, additionalData, 8);
                TlsUtils.writeVersion(recordVersion, additionalData, 9);
                TlsUtils.writeUint16(length, additionalData, 11);
                start();
                position += cipher.doFinal(plaintext, offset, length, out, position);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, e);
        }
        if (position != headerBytes + ciphertextLength) {
            throw new TlsFatalAlert(AlertDescription.internal_error);
        }
        return new TlsEncodeResult(out, 0, position, ContentType.application_data);
    }

    private void start() throws GeneralSecurityException {
        if (cipher == null) {
            cipher = helper.createCipher("AES/GCM/NoPadding");
        }
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        cipher.updateAAD(additionalData);
    }

    private byte[] buffer(int size) {
        if (record.length < size) {
            record = new byte[size];
        }
        return record;
    }

    /**
     * TLS 1.2 (RFC 5246 section 6.3): the key block is the client's key, the server's key, the client's salt, the
     * server's salt.
     */
    private void keyFromKeyBlock() {
        byte[] block = TlsImplUtils.calculateKeyBlock(params, 2 * keySize + 2 * TLS12_SALT);
        int own = params.isServer() ? 1 : 0;
        key = new SecretKeySpec(block, own * keySize, keySize, "AES");
        System.arraycopy(block, 2 * keySize + own * TLS12_SALT, fixedIv, 0, TLS12_SALT);
    }

    /** TLS 1.3 (RFC 8446 section 7.3): key and IV are expanded from this side's traffic secret. */
    private void keyFrom(SecurityParameters security) throws IOException {
        TlsSecret secret = params.isServer() ? security.getTrafficSecretServer() : security.getTrafficSecretClient();
        if (secret == null) {
            throw new TlsFatalAlert(AlertDescription.internal_error);
        }
        int hash = security.getPRFCryptoHashAlgorithm();
        byte[] keyBytes = TlsCryptoUtils.hkdfExpandLabel(secret, hash, "key", TlsUtils.EMPTY_BYTES, keySize)
                .extract();
        byte[] iv = TlsCryptoUtils.hkdfExpandLabel(secret, hash, "iv", TlsUtils.EMPTY_BYTES, NONCE_BYTES).extract();
        key = new SecretKeySpec(keyBytes, "AES");
        System.arraycopy(iv, 0, fixedIv, 0, NONCE_BYTES);
    }
}
