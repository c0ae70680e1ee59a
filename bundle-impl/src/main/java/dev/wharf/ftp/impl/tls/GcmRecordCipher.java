package dev.wharf.ftp.impl.tls;

import java.io.IOException;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;

/**
 * An AES-GCM record cipher whose sending side is {@link GcmRecordEncoder}; receiving, and the record size limits,
 * stay with BouncyCastle's own cipher (it decrypts in place and allocates nothing per record).
 */
final class GcmRecordCipher implements TlsCipher {

    private final TlsCipher bouncyCastle;
    private final GcmRecordEncoder encoder;

    GcmRecordCipher(TlsCipher bouncyCastle, GcmRecordEncoder encoder) {
        this.bouncyCastle = bouncyCastle;
        this.encoder = encoder;
    }

    @Override
    public TlsEncodeResult encodePlaintext(long seqNo, short contentType, ProtocolVersion recordVersion,
            int headerAllocation, byte[] plaintext, int offset, int len) throws IOException {
        return encoder.encode(seqNo, contentType, recordVersion, headerAllocation, plaintext, offset, len);
    }

    @Override
    public void rekeyEncoder() throws IOException {
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
