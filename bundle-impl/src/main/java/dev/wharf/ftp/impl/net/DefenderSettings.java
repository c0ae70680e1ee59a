package dev.wharf.ftp.impl.net;

import dev.wharf.ftp.impl.protocol.Offence;
import dev.wharf.ftp.impl.settings.AddressBlocks;

/**
 * How the defender scores and bans: the points of each offence, the threshold they must reach within the window,
 * the first ban's length (doubled for each ban the address had before, up to the maximum) and the addresses never
 * banned.
 *
 * @param safe the safe list: an address it contains is never banned
 */
public record DefenderSettings(int threshold, long windowMillis, long banMillis, long maxBanMillis, AddressBlocks safe,
        int loginScore, int tlsScore, int abuseScore) {

    /** The points an offence scores. */
    int score(Offence offence) {
        return switch (offence) {
            case LOGIN_FAILED -> loginScore;
            case TLS_HANDSHAKE -> tlsScore;
            case PROTOCOL_ABUSE -> abuseScore;
        };
    }
}
