package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.impl.fs.FileDigest;
import dev.wharf.ftp.impl.fs.MlsxFacts;
import java.util.EnumSet;

/**
 * The parameters commands set for later ones (RFC 959 section 5.4 and its extensions): representation type,
 * EPSV ALL, the restart offset and rename source that apply to the very next command only, the MLSx facts and
 * HASH algorithm a client chose, and a RANG byte range for the next HASH.
 */
final class TransferParameters {

    private boolean ascii;
    private boolean epsvOnly;
    private long restartOffset;
    private String renameSource;
    private EnumSet<MlsxFacts.Fact> facts;
    private FileDigest hashAlgorithm;
    private long rangeStart;
    private long rangeEnd;

    TransferParameters() {
        reset();
    }

    /** The defaults right after connecting (REIN returns to them): TYPE A (RFC 959), every fact, SHA-256. */
    void reset() {
        ascii = true;
        epsvOnly = false;
        restartOffset = 0;
        renameSource = null;
        facts = EnumSet.allOf(MlsxFacts.Fact.class);
        hashAlgorithm = FileDigest.SHA_256;
        rangeStart = -1;
        rangeEnd = -1;
    }

    boolean ascii() {
        return ascii;
    }

    /** TYPE: A (true) or I / L 8 (false). */
    void typeAscii(boolean value) {
        ascii = value;
    }

    /** EPSV ALL: from now on only EPSV may open data connections (RFC 2428). */
    void epsvOnly() {
        epsvOnly = true;
    }

    boolean isEpsvOnly() {
        return epsvOnly;
    }

    void restartAt(long offset) {
        restartOffset = offset;
    }

    long restartOffset() {
        return restartOffset;
    }

    void renameFrom(String virtualPath) {
        renameSource = virtualPath;
    }

    /** The path RNFR named, or null. */
    String renameSource() {
        return renameSource;
    }

    /** After each command: REST and RNFR apply to the very next command only (RFC 3659 5.3, RFC 959 4.1.3). */
    void afterCommand(CommandSpec command) {
        if (!command.has(CommandSpec.Flag.KEEPS_RESTART_OFFSET)) {
            restartOffset = 0;
        }
        if (!command.has(CommandSpec.Flag.KEEPS_RENAME_SOURCE)) {
            renameSource = null;
        }
    }

    /** The facts MLST and MLSD return, as OPTS MLST chose (a copy). */
    EnumSet<MlsxFacts.Fact> facts() {
        return facts.clone();
    }

    void selectFacts(EnumSet<MlsxFacts.Fact> selected) {
        facts = selected.clone();
    }

    FileDigest hashAlgorithm() {
        return hashAlgorithm;
    }

    void selectHash(FileDigest algorithm) {
        hashAlgorithm = algorithm;
    }

    /** RANG: the byte range (end inclusive) for the next HASH; {@code RANG 1 0} clears it. */
    void range(long start, long endInclusive) {
        rangeStart = start;
        rangeEnd = endInclusive;
    }

    /** The range for this HASH, if any, as {start, end inclusive}; a range applies to one HASH. */
    long[] takeRange() {
        long[] range = rangeStart < 0 ? null : new long[] {rangeStart, rangeEnd};
        rangeStart = rangeEnd = -1;
        return range;
    }
}
