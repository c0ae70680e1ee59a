package dev.wharf.ftp.impl.tls;

import java.io.IOException;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;

/**
 * An AES-GCM record cipher whose large application-data records are encrypted by {@link GcmRecordEncoder}. The
 * rest stays with BouncyCastle's own cipher: small records (control replies, a file's last piece), whose copy costs
 * little; handshake messages and alerts, which may be written from another thread than the one sending data; and
 * all decryption, which BouncyCastle does in place without allocating per record.
 */
final class GcmRecordCipher implements TlsCipher {

    /**
     * Records from this size on go to the encoder. A transfer sends full 16 KiB records; below 8 KiB the copy saved
     * is small, and control connections never create the encoder's JDK cipher (3–5 KiB per idle session, measured).
     */
    static final int ENCODER_MIN_BYTES = 8192;

    private final TlsCipher bouncyCastle;
    private final GcmRecordEncoder encoder;

    GcmRecordCipher(TlsCipher bouncyCastle, GcmRecordEncoder encoder) {
        this.bouncyCastle = bouncyCastle;
        this.encoder = encoder;
    }

    @Override
    public TlsEncodeResult encodePlaintext(long seqNo, short contentType, ProtocolVersion recordVersion,
            int headerAllocation, byte[] plaintext, int offset, int len) throws IOException {
        if (contentType == ContentType.application_data && len >= ENCODER_MIN_BYTES) {
            return encoder.encode(seqNo, recordVersion, headerAllocation, plaintext, offset, len);
        }
        return bouncyCastle.encodePlaintext(seqNo, contentType, recordVersion, headerAllocation, plaintext, offset,
                len);
    }

    /** TLS 1.3 KeyUpdate: both encrypt this side's records from now on, so both take the next key. */
    @Override
    public void rekeyEncoder() throws IOException {
        bouncyCastle.rekeyEncoder();
        encoder.rekey();
    }

    @Override
    public boolean usesOpaqueRecordTypeEncode() {
        return bouncyCastle.usesOpaqueRecordTypeEncode();
    }

    @Override
    public int getCiphertextEncodeLimit(int plaintextLimit) {
        return bouncyCastle.getCiphertextEncodeLimit(plaintextLimit);
    }

    @Override
    public int getPlaintextEncodeLimit(int ciphertextLimit) {
        return bouncyCastle.getPlaintextEncodeLimit(ciphertextLimit);
    }

    @Override
    public TlsDecodeResult decodeCiphertext(long seqNo, short recordType, ProtocolVersion recordVersion,
            byte[] ciphertext, int offset, int len) throws IOException {
        return bouncyCastle.decodeCiphertext(seqNo, recordType, recordVersion, ciphertext, offset, len);
    }

    @Override
    public void rekeyDecoder() throws IOException {
        bouncyCastle.rekeyDecoder();
    }

    @Override
    public boolean usesOpaqueRecordTypeDecode() {
        return bouncyCastle.usesOpaqueRecordTypeDecode();
    }

    @Override
    public int getCiphertextDecodeLimit(int plaintextLimit) {
        return bouncyCastle.getCiphertextDecodeLimit(plaintextLimit);
    }

    @Override
    public int getPlaintextDecodeLimit(int ciphertextLimit) {
        return bouncyCastle.getPlaintextDecodeLimit(ciphertextLimit);
    }
}
