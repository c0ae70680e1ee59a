package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.settings.IpFilter;
import java.net.InetAddress;
import java.util.logging.Logger;

/** A user's own allow/deny lists, checked at login on top of the listener's filter at connect. */
final class UserAddresses {

    private static final Logger LOG = Logger.getLogger(UserAddresses.class.getName());

    private UserAddresses() {
    }

    /**
     * Whether the account may log in from the address. Lists that cannot be read (an account a hook or another
     * user store made) refuse the login: fail closed, with a log line naming the user.
     */
    static boolean admits(UserAccount account, InetAddress address) {
        if (account.allow().isEmpty() && account.deny().isEmpty()) {
            return true;
        }
        IpFilter filter;
        try {
            filter = IpFilter.parse(String.join(",", account.allow()), String.join(",", account.deny()));
        } catch (IllegalArgumentException e) {
            LOG.severe("user '" + account.name() + "' cannot log in: its allow/deny lists are not usable: "
                    + e.getMessage());
            return false;
        }
        if (!filter.accepts(address)) {
            LOG.info(() -> "user '" + account.name() + "' refused from " + address.getHostAddress()
                    + " by the user's allow/deny lists");
            return false;
        }
        return true;
    }
}
