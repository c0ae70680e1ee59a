package dev.wharf.ftp.impl.tls;

import dev.wharf.ftp.api.SslConfiguration;
import dev.wharf.ftp.api.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * An {@link SslConfiguration} whose key material follows its files and its configuration. When a file changes on
 * disk (checked at most once a second, when a new connection asks), the context is rebuilt: new connections get
 * the new context, running ones keep the snapshot they took.
 *
 * <p>It fails closed. Material that cannot be used at all leaves the configuration without settings and with a
 * {@linkplain #problem() problem} that names the file and the reason: listeners then refuse connections instead
 * of serving them without TLS. While broken it tries again when its files change and every few seconds, and
 * recovers by itself once the material is fixed. An update whose material cannot be used, of a configuration
 * that works, is refused and the working material stays in use (it is as strong as before, and the error is
 * logged).
 */
public final class ReloadingSslConfiguration implements SslConfiguration {

    private static final Logger LOG = Logger.getLogger(ReloadingSslConfiguration.class.getName());
    private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;
    private static final long RETRY_INTERVAL_NANOS = 5_000_000_000L;

    /** What is in use: the spec, the settings built from it (null when broken) and why they are missing. */
    private record State(TlsSpec spec, TlsSettings settings, String problem, List<FileTime> stamps, long built) {
    }

    private final String name;
    private final String source;
    private final LongSupplier clock;
    private volatile State state;
    private volatile long nextCheck;

    private ReloadingSslConfiguration(String name, String source, LongSupplier clock) {
        this.name = name;
        this.source = source;
        this.clock = clock;
    }

    /** A configuration from a spec; when the material cannot be used, it starts broken (see {@link #problem()}). */
    public static ReloadingSslConfiguration create(TlsSpec spec) {
        return create(spec, "TLS configuration '" + spec.name() + "'");
    }

    /** @param source where the configuration comes from (its file or PID), named in every problem */
    public static ReloadingSslConfiguration create(TlsSpec spec, String source) {
        return create(spec, source, System::nanoTime);
    }

    /** @param clock nanoseconds, as System.nanoTime() counts them (tests move time on by hand) */
    static ReloadingSslConfiguration create(TlsSpec spec, String source, LongSupplier clock) {
        ReloadingSslConfiguration c = new ReloadingSslConfiguration(spec.name(), source, clock);
        c.state = c.build(spec);
        c.report(null, c.state);
        return c;
    }

    /** A configuration whose values are wrong (e.g. a bad choice): broken from the start with these problems. */
    public static ReloadingSslConfiguration refused(String name, String source, List<String> problems) {
        ReloadingSslConfiguration c = new ReloadingSslConfiguration(name, source, System::nanoTime);
        c.state = new State(null, null, String.join("; ", problems), List.of(), c.clock.getAsLong());
        c.report(null, c.state);
        return c;
    }

    /**
     * Takes a changed configuration. Its material is used if it loads; if not, a working configuration keeps its
     * previous material and a broken one stays broken with the new reason.
     */
    public synchronized void update(TlsSpec spec) {
        State before = state;
        State next = build(spec);
        if (next.settings() == null && before.settings() != null) {
            LOG.severe(source + ": NOT updated, the previous key material stays in use: " + next.problem());
            return;
        }
        state = next;
        report(before, next);
        if (next.settings() != null && before.settings() != null) {
            LOG.info(() -> "TLS configuration '" + name + "' updated");
        }
    }

    /** Takes a changed configuration whose values are wrong; a working configuration keeps its material. */
    public synchronized void refuse(List<String> problems) {
        String problem = String.join("; ", problems);
        State before = state;
        if (before.settings() != null) {
            LOG.severe(source + ": NOT updated, the previous key material stays in use: " + problem);
            return;
        }
        state = new State(null, null, problem, List.of(), clock.getAsLong());
        report(before, state);
    }

    private State build(TlsSpec spec) {
        List<FileTime> stamps = stamps(spec);
        try {
            return new State(spec, TlsContextBuilder.build(spec), null, stamps, clock.getAsLong());
        } catch (TlsConfigException e) {
            return new State(spec, null, source + ": " + e.getMessage(), stamps, clock.getAsLong());
        }
    }

    /** Logs a change between working and broken, and a broken configuration's new reason, once each. */
    private void report(State before, State after) {
        if (after.problem() != null) {
            if (before == null || !after.problem().equals(before.problem())) {
                LOG.severe("TLS configuration '" + name + "' cannot be used, listeners using it refuse connections: "
                        + after.problem());
            }
        } else if (before != null && before.problem() != null) {
            LOG.info(() -> "TLS configuration '" + name + "' can be used again");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TlsSettings current() {
        recheck();
        return state.settings();
    }

    @Override
    public String problem() {
        recheck();
        return state.problem();
    }

    private void recheck() {
        long now = clock.getAsLong();
        if (now - nextCheck >= 0) {
            nextCheck = now + CHECK_INTERVAL_NANOS;
            reloadIfChanged(now);
        }
    }

    private synchronized void reloadIfChanged(long now) {
        State before = state;
        if (before.spec() == null) {
            return; // wrong values: only a new configuration can fix those
        }
        List<FileTime> seen = stamps(before.spec());
        boolean changed = !Objects.equals(seen, before.stamps());
        boolean retryBroken = before.settings() == null && now - before.built() >= RETRY_INTERVAL_NANOS;
        if (!changed && !retryBroken) {
            return;
        }
        State next = build(before.spec());
        if (next.settings() == null && before.settings() != null) {
            // Changed files that cannot be used: keep serving with what worked, try again when they change.
            state = new State(before.spec(), before.settings(), null, seen, before.built());
            LOG.severe(source + ": changed key material cannot be used, the previous stays in use: " + next.problem());
            return;
        }
        state = next;
        report(before, next);
        if (next.settings() != null && before.settings() != null) {
            LOG.info(() -> "TLS configuration '" + name + "': key material reloaded from disk");
        }
    }

    private static List<FileTime> stamps(TlsSpec spec) {
        List<FileTime> out = new ArrayList<>();
        for (Path p : spec.watchedFiles()) {
            try {
                out.add(Files.getLastModifiedTime(p));
            } catch (IOException e) {
                out.add(null);
            }
        }
        return out;
    }
}
