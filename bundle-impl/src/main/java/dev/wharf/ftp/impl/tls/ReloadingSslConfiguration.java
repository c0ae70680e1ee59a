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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An {@link SslConfiguration} whose key material follows its files: when one of them changes on disk (checked
 * at most once a second, when a new connection asks), the context is rebuilt. New connections get the new
 * context; running ones keep the snapshot they took. Material that fails to load is logged and the previous
 * context stays in use.
 */
public final class ReloadingSslConfiguration implements SslConfiguration {

    private static final Logger LOG = Logger.getLogger(ReloadingSslConfiguration.class.getName());
    private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final TlsSpec spec;
    private volatile TlsSettings current;
    private volatile List<FileTime> stamps;
    private volatile long nextCheck;

    private ReloadingSslConfiguration(TlsSpec spec, TlsSettings first) {
        this.spec = spec;
        this.current = first;
        this.stamps = stamps(spec);
        this.nextCheck = System.nanoTime() + CHECK_INTERVAL_NANOS;
    }

    /** Builds the first context; fails if the material cannot be used at all. */
    public static ReloadingSslConfiguration create(TlsSpec spec) throws TlsConfigException {
        return new ReloadingSslConfiguration(spec, TlsContextBuilder.build(spec));
    }

    /**
     * Replaces this configuration's spec (a ConfigAdmin update): the new material is used if it loads, the
     * previous otherwise.
     */
    public ReloadingSslConfiguration update(TlsSpec newSpec) {
        try {
            ReloadingSslConfiguration next = create(newSpec);
            LOG.info(() -> "TLS configuration '" + newSpec.name() + "' updated");
            return next;
        } catch (TlsConfigException e) {
            LOG.severe("TLS configuration '" + newSpec.name() + "' NOT updated, the previous key material stays in use: "
                    + e.getMessage());
            return this;
        }
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public TlsSettings current() {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            nextCheck = now + CHECK_INTERVAL_NANOS;
            reloadIfChanged();
        }
        return current;
    }

    private synchronized void reloadIfChanged() {
        List<FileTime> seen = stamps(spec);
        if (Objects.equals(seen, stamps)) {
            return;
        }
        stamps = seen;
        try {
            current = TlsContextBuilder.build(spec);
            LOG.info(() -> "TLS configuration '" + spec.name() + "': key material reloaded from disk");
        } catch (TlsConfigException e) {
            LOG.log(Level.SEVERE, "TLS configuration '" + spec.name()
                    + "': changed key material cannot be used, the previous stays in use: " + e.getMessage());
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
