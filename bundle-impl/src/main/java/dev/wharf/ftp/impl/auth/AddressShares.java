package dev.wharf.ftp.impl.auth;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many password checks each client address has under way (queued or running). One address gets only a share
 * of the pool, so that a flood from one client is refused early, costs a handful of hashes instead of filling the
 * whole queue, and leaves the queue to clients elsewhere.
 */
final class AddressShares {

    private final int perAddress;
    private final ConcurrentHashMap<InetAddress, Integer> underWay = new ConcurrentHashMap<>();

    AddressShares(int perAddress) {
        this.perAddress = perAddress;
    }

    /** Takes one of the address's places; false when it has all of them in use. */
    boolean tryTake(InetAddress from) {
        boolean[] taken = {false};
        underWay.compute(from, (address, count) -> {
            int now = count == null ? 0 : count;
            if (now >= perAddress) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    /** Gives back a place taken by {@link #tryTake}; an address with none left is forgotten. */
    void giveBack(InetAddress from) {
        underWay.computeIfPresent(from, (address, count) -> count > 1 ? count - 1 : null);
    }

    int perAddress() {
        return perAddress;
    }

    /** The places the address holds now: for tests. */
    int held(InetAddress from) {
        return underWay.getOrDefault(from, 0);
    }

    /** Addresses with checks under way: for tests. */
    int addresses() {
        return underWay.size();
    }
}
