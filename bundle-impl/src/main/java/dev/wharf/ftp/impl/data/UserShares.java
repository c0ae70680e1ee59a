package dev.wharf.ftp.impl.data;

import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.fs.FileModes;
import dev.wharf.ftp.impl.fs.HomeUsage;
import dev.wharf.ftp.impl.fs.Quota;
import dev.wharf.ftp.impl.settings.UserDefaults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the logged-in sessions of one server share per user and per home, across listeners: a user's bandwidth
 * (one upload and one download {@link Throttle}, so parallel transfers split the rate) and a home's
 * {@link HomeUsage} for quotas. Each login takes a {@link Lease}; what no lease uses any more is dropped, so a
 * home is counted afresh at the next login (which also picks up changes made outside FTP). Owned by the server
 * runtime.
 */
public final class UserShares {

    /** A user's throttles and the number of leases that use them. */
    private static final class Bandwidth {
        Throttle upload;
        Throttle download;
        int leases;
    }

    /** A home's usage, counted by the first lease that needs it, and the number of leases that use it. */
    private static final class Home {
        private final Path path;
        private HomeUsage usage;
        int leases;

        Home(Path path) {
            this.path = path;
        }

        synchronized HomeUsage usage() throws IOException {
            if (usage == null) {
                usage = HomeUsage.scan(path);
            }
            return usage;
        }
    }

    private final Map<String, Bandwidth> users = new HashMap<>();
    private final Map<Path, Home> homes = new HashMap<>();

    /**
     * A login's share: the account's own rates and umask or else the listener's, and its quota over the home.
     *
     * @throws IOException when the home cannot be counted for a quota
     */
    public Lease join(UserAccount account, UserDefaults defaults) throws IOException {
        long up = account.uploadRate().orElse(defaults.uploadRate());
        long down = account.downloadRate().orElse(defaults.downloadRate());
        FileModes modes = FileModes.of(account.umask().orElse(defaults.umask()));
        Bandwidth bandwidth = null;
        Throttle upload = null;
        Throttle download = null;
        if (defaults.ratePerSession()) {
            upload = up > 0 ? new Throttle(up) : null;
            download = down > 0 ? new Throttle(down) : null;
        } else if (up > 0 || down > 0) {
            synchronized (this) {
                bandwidth = users.computeIfAbsent(account.name(), n -> new Bandwidth());
                bandwidth.leases++;
                bandwidth.upload = current(bandwidth.upload, up);
                bandwidth.download = current(bandwidth.download, down);
                upload = bandwidth.upload;
                download = bandwidth.download;
            }
        }
        Home home = null;
        Quota quota = null;
        if (account.quotaBytes() > 0 || account.quotaFiles() > 0) {
            Path real = account.home().toRealPath();
            synchronized (this) {
                home = homes.computeIfAbsent(real, Home::new);
                home.leases++;
            }
            try {
                quota = new Quota(home.usage(), account.quotaBytes(), account.quotaFiles());
            } catch (IOException | RuntimeException e) {
                new Lease(account.name(), bandwidth, null, null, null, home, modes).close();
                throw e;
            }
        }
        return new Lease(account.name(), bandwidth, upload, download, quota, home, modes);
    }

    /** The user's throttle at the rate of the latest login (a changed configuration), or none for 0. */
    private static Throttle current(Throttle existing, long rate) {
        if (rate <= 0) {
            return existing;
        }
        if (existing == null) {
            return new Throttle(rate);
        }
        existing.rate(rate);
        return existing;
    }

    private synchronized void leave(String user, Bandwidth bandwidth, Home home) {
        if (bandwidth != null && --bandwidth.leases == 0) {
            users.remove(user, bandwidth);
        }
        if (home != null && --home.leases == 0) {
            homes.remove(home.path, home);
        }
    }

    /** Users with shared throttles and homes with counted usage right now (for tests and diagnostics). */
    @Override
    public synchronized String toString() {
        return "UserShares" + users.keySet() + homes.keySet();
    }

    /** One login's part: its throttles (null: unlimited), quota (null: none) and file modes. Close it at logout. */
    public final class Lease implements AutoCloseable {
        private final String user;
        private final Bandwidth bandwidth;
        private final Throttle upload;
        private final Throttle download;
        private final Quota quota;
        private final Home home;
        private final FileModes modes;
        private boolean closed;

        private Lease(String user, Bandwidth bandwidth, Throttle upload, Throttle download, Quota quota, Home home,
                FileModes modes) {
            this.user = user;
            this.bandwidth = bandwidth;
            this.upload = upload;
            this.download = download;
            this.quota = quota;
            this.home = home;
            this.modes = modes;
        }

        public Throttle upload() {
            return upload;
        }

        public Throttle download() {
            return download;
        }

        public Quota quota() {
            return quota;
        }

        public FileModes modes() {
            return modes;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                leave(user, bandwidth, home);
            }
        }
    }
}
