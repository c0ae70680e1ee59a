package dev.wharf.ftp.impl.net;

import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.impl.activity.Activities;
import dev.wharf.ftp.impl.activity.Activity;
import dev.wharf.ftp.impl.activity.ActivitySink;
import dev.wharf.ftp.impl.protocol.Offence;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Bans addresses that misbehave across connections, as fail2ban or SFTPGo's defender do: each offence (a failed
 * login, a failed TLS handshake, protocol abuse) scores points against the client's address; an address whose
 * points within the window reach the threshold is banned, and its connections are refused at accept time, before
 * any TLS work, until the ban ends. Each further ban of the same address lasts twice as long as the one before, up
 * to the maximum; an address is forgotten a day after its last ban ended. Addresses on the safe list are never
 * banned. Bans are logged, reported as activities (EventAdmin events) and kept in a file across restarts.
 *
 * <p>{@link #score} is the one entry point for offences: failed logins arrive as activities ({@link #accept}), the
 * rest from the listeners. {@link #refuses} is a hash lookup, cheap enough for every accepted connection.
 */
public final class Defender implements ActivitySink {

    private static final Logger LOG = Logger.getLogger(Defender.class.getName());
    /** How long an address's past bans count towards a longer next one, after the last one ended. */
    static final long REPEAT_MEMORY_MILLIS = 24L * 60 * 60 * 1000;
    /** Addresses scored at once at most: a flood of new addresses cannot grow the table without bound. */
    private static final int MAX_TRACKED = 100_000;

    /** The failed-login reasons a client could be guessing with; not those of a busy server or a hook's policy. */
    private static final Set<String> SCORED_REASONS = Set.of(FtpEvents.REASON_UNKNOWN_USER,
            FtpEvents.REASON_WRONG_PASSWORD, FtpEvents.REASON_DISABLED, FtpEvents.REASON_CERTIFICATE,
            FtpEvents.REASON_TLS_REQUIRED, FtpEvents.REASON_ADDRESS);

    /** The topics this defender takes as a sink. */
    public static final Predicate<String> TOPICS = Activities.topics(List.of(FtpEvents.LOGIN_FAILED));

    /** What is known about one address: recent offences, and its bans. */
    private static final class Record {
        final Deque<long[]> offences = new ArrayDeque<>(); // {time, points}
        int score;
        int bans;
        long bannedUntil;
    }

    private final DefenderSettings settings;
    private final Path stateFile;
    private final Activities activities;
    private final LongSupplier clock;
    private final Map<InetAddress, Long> banned = new ConcurrentHashMap<>();
    private final Map<InetAddress, Record> records = new HashMap<>();

    /**
     * @param stateFile where bans are kept across restarts; null: not kept
     * @param activities where bans are reported
     * @param clock milliseconds since the epoch (a wall clock: bans in the file outlive the process)
     */
    public Defender(DefenderSettings settings, Path stateFile, Activities activities, LongSupplier clock) {
        this.settings = settings;
        this.stateFile = stateFile;
        this.activities = activities;
        this.clock = clock;
        load();
    }

    /** Whether connections from the address are refused now. */
    public boolean refuses(InetAddress address) {
        Long until = banned.get(address);
        return until != null && until > clock.getAsLong();
    }

    /** A failed login, as sessions report it. */
    @Override
    public void accept(Activity activity) {
        if (!FtpEvents.LOGIN_FAILED.equals(activity.topic())
                || !SCORED_REASONS.contains(activity.text(FtpEvents.REASON, ""))) {
            return;
        }
        try {
            // An address literal, as the session reported it: no name lookup happens.
            score(InetAddress.getByName(activity.text(FtpEvents.REMOTE_ADDRESS, "")), Offence.LOGIN_FAILED);
        } catch (UnknownHostException | SecurityException e) {
            LOG.fine(() -> "defender: no address in " + activity);
        }
    }

    /** Scores an offence against the address; bans it when its points in the window reach the threshold. */
    public void score(InetAddress address, Offence offence) {
        int points = settings.score(offence);
        if (points <= 0 || settings.safe().contains(address)) {
            return;
        }
        long now = clock.getAsLong();
        Activity ban;
        synchronized (records) {
            Record r = records.get(address);
            if (r == null) {
                if (records.size() >= MAX_TRACKED) {
                    forgetOld(now);
                    if (records.size() >= MAX_TRACKED) {
                        return; // a flood from more addresses than can be tracked: the listeners' limits still hold
                    }
                }
                r = new Record();
                records.put(address, r);
            }
            if (r.bannedUntil > now) {
                return; // already banned: its connections no longer get this far
            }
            dropOutsideWindow(r, now);
            r.offences.addLast(new long[] {now, points});
            r.score += points;
            if (r.score < settings.threshold()) {
                return;
            }
            ban = ban(address, r, now);
        }
        save();
        activities.publish(ban);
    }

    /** Bans the address (under the lock): its ban count grows and the ban time with it. */
    private Activity ban(InetAddress address, Record r, long now) {
        int score = r.score;
        r.offences.clear();
        r.score = 0;
        r.bans++;
        long length = settings.banMillis();
        for (int i = 1; i < r.bans && length < settings.maxBanMillis(); i++) {
            length *= 2;
        }
        length = Math.min(length, Math.max(settings.banMillis(), settings.maxBanMillis()));
        r.bannedUntil = now + length;
        banned.put(address, r.bannedUntil);
        long seconds = length / 1000;
        int count = r.bans;
        LOG.warning(() -> "defender: " + address.getHostAddress() + " banned for " + seconds + " s (ban " + count
                + "; score " + score + " within " + settings.windowMillis() / 1000 + " s)");
        return Activity.of(FtpEvents.DEFENDER_BANNED)
                .put(FtpEvents.REMOTE_ADDRESS, address.getHostAddress())
                .put(FtpEvents.BAN_UNTIL, r.bannedUntil)
                .put(FtpEvents.BAN_COUNT, count)
                .put(FtpEvents.SCORE, score)
                .build();
    }

    private void dropOutsideWindow(Record r, long now) {
        while (!r.offences.isEmpty() && now - r.offences.peekFirst()[0] >= settings.windowMillis()) {
            r.score -= (int) r.offences.removeFirst()[1];
        }
    }

    /**
     * Ends the bans whose time has passed (logged and reported) and forgets addresses with nothing left to
     * remember. Called about once a second by the server's timer.
     */
    public void expire() {
        long now = clock.getAsLong();
        List<InetAddress> ended = new ArrayList<>();
        for (Map.Entry<InetAddress, Long> b : banned.entrySet()) {
            if (b.getValue() <= now && banned.remove(b.getKey(), b.getValue())) {
                ended.add(b.getKey());
            }
        }
        synchronized (records) {
            forgetOld(now);
        }
        if (ended.isEmpty()) {
            return;
        }
        save();
        for (InetAddress address : ended) {
            LOG.info(() -> "defender: the ban of " + address.getHostAddress() + " ended");
            activities.publish(Activity.of(FtpEvents.DEFENDER_UNBANNED)
                    .put(FtpEvents.REMOTE_ADDRESS, address.getHostAddress()).build());
        }
    }

    /** Drops addresses without recent offences whose last ban (if any) is long over. Under the lock. */
    private void forgetOld(long now) {
        for (Iterator<Record> it = records.values().iterator(); it.hasNext(); ) {
            Record r = it.next();
            dropOutsideWindow(r, now);
            if (r.offences.isEmpty() && now - r.bannedUntil > REPEAT_MEMORY_MILLIS) {
                it.remove();
            }
        }
    }

    /** The addresses banned now, with the end of their ban (ms since the epoch). */
    public Map<InetAddress, Long> bans() {
        long now = clock.getAsLong();
        Map<InetAddress, Long> out = new HashMap<>();
        banned.forEach((a, until) -> {
            if (until > now) {
                out.put(a, until);
            }
        });
        return out;
    }

    // ---- the state file: one line per remembered address, "address bannedUntil bans" ----

    private void load() {
        if (stateFile == null || !Files.exists(stateFile)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(stateFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warning("defender: cannot read " + stateFile + " (bans of the last run are lost): " + e.getMessage());
            return;
        }
        long now = clock.getAsLong();
        synchronized (records) {
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 3 || line.startsWith("#")) {
                    continue;
                }
                try {
                    InetAddress address = InetAddress.getByName(f[0]); // written as a literal
                    Record r = new Record();
                    r.bannedUntil = Long.parseLong(f[1]);
                    r.bans = Integer.parseInt(f[2]);
                    records.put(address, r);
                    if (r.bannedUntil > now) {
                        banned.put(address, r.bannedUntil);
                    }
                } catch (NumberFormatException | UnknownHostException e) {
                    LOG.fine(() -> "defender: skipped line '" + line + "' of " + stateFile);
                }
            }
            forgetOld(now);
        }
        if (!banned.isEmpty()) {
            LOG.info(() -> "defender: " + banned.size() + " address(es) still banned from the last run");
        }
    }

    /** Writes the remembered bans, replacing the file in one step so that a crash leaves the old or the new one. */
    private void save() {
        if (stateFile == null) {
            return;
        }
        StringBuilder text = new StringBuilder("# Wharf defender: address, ban end (ms since 1970), bans so far\n");
        synchronized (records) {
            records.forEach((address, r) -> {
                if (r.bans > 0) {
                    text.append(address.getHostAddress()).append(' ').append(r.bannedUntil).append(' ')
                            .append(r.bans).append('\n');
                }
            });
        }
        synchronized (this) {
            try {
                Path folder = stateFile.toAbsolutePath().getParent();
                if (folder != null) {
                    Files.createDirectories(folder);
                }
                Path temp = stateFile.resolveSibling(stateFile.getFileName() + ".new");
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "defender: cannot write " + stateFile + " (bans would not outlive a restart): "
                        + e.getMessage());
            }
        }
    }
}
