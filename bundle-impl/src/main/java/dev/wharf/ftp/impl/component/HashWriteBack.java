package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.impl.auth.PasswordHashing;
import dev.wharf.ftp.impl.net.ServerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Puts a password's hash into the .cfg file FileInstall read, in place of the clear text it was made from, and sees
 * that it stays there.
 *
 * <p>FileInstall saves a configuration into its file each time ConfigAdmin reports it updated, with the values the
 * configuration has at that moment, and then takes the file as read. The report of the file's own creation is
 * delivered asynchronously, to SCR (which activates the user and so starts this) and to FileInstall alike; when
 * FileInstall's turn comes after the hash was written, it writes the clear text back and never reads the file
 * again. So the file is looked at again a few times over the next seconds, and while it holds that clear text once
 * more, the hash is written again. Once FileInstall has read the hash into the configuration, a late report writes
 * the hash too; the user's component, replaced with the hashed configuration, then cancels the checks.
 */
final class HashWriteBack {

    private static final Logger LOG = Logger.getLogger(HashWriteBack.class.getName());
    private static final String KEY = "password";
    /** Milliseconds from one look at the file to the next, after the first write: about 15 s in all. */
    private static final long[] CHECKS = {1_000, 2_000, 4_000, 8_000};

    private final ServerRuntime runtime;
    private final Path file;
    private final String hash;
    private final String user;
    private final long[] checks;
    private volatile boolean cancelled;
    private volatile boolean finished;
    private volatile ScheduledFuture<?> nextCheck;

    private HashWriteBack(ServerRuntime runtime, Path file, String hash, String user, long[] checks) {
        this.runtime = runtime;
        this.file = file;
        this.hash = hash;
        this.user = user;
        this.checks = checks.clone();
    }

    /**
     * Writes the hash in the background and checks the file afterwards.
     *
     * @param user how the log names the user, e.g. {@code user 'ann'}
     */
    static HashWriteBack start(ServerRuntime runtime, Path file, String hash, String user) {
        return start(runtime, file, hash, user, CHECKS);
    }

    /** As {@link #start(ServerRuntime, Path, String, String)}, looking at the file after these intervals (ms). */
    static HashWriteBack start(ServerRuntime runtime, Path file, String hash, String user, long... checks) {
        HashWriteBack writeBack = new HashWriteBack(runtime, file, hash, user, checks);
        runtime.runInBackground("wharf-hash-writeback", () -> writeBack.round(0));
        return writeBack;
    }

    /** No more checks: the configuration holds the hash, or the user is gone. */
    void cancel() {
        cancelled = true;
        ScheduledFuture<?> check = nextCheck;
        if (check != null) {
            check.cancel(false);
        }
    }

    /** Whether the last look at the file is over (or the checks were cancelled). */
    boolean finished() {
        return finished || cancelled;
    }

    private void round(int number) {
        if (cancelled || !Files.isRegularFile(file)) {
            finished = true;
            return;
        }
        try {
            if (number == 0) {
                CfgFile.replaceValue(file, KEY, hash);
                LOG.info(() -> user + ": clear-text password replaced by its hash in " + file);
            } else if (clearTextIsBack()) {
                CfgFile.replaceValue(file, KEY, hash);
                LOG.info(() -> user + ": the clear-text password was written back into " + file
                        + " (by FileInstall, from the configuration it had then); replaced by its hash again");
            }
        } catch (IOException e) {
            // a read-only etc/ or a full disk: the operator's to fix, so one line and no stack trace
            LOG.severe(user + ": could not replace the clear-text password in " + file + " (" + e
                    + "); replace it with the output of 'wharf hash-password'");
            finished = true;
            return;
        }
        if (number < checks.length && !cancelled) {
            // the timer only hands the look over: reading the file (and verifying a password) is not its work
            nextCheck = runtime.schedule(() -> runtime.runInBackground("wharf-hash-writeback",
                    () -> round(number + 1)), checks[number], TimeUnit.MILLISECONDS);
        } else {
            finished = true;
        }
    }

    /** Whether the file holds, again, the clear text this hash was made from (not another one an operator set). */
    private boolean clearTextIsBack() throws IOException {
        String value = CfgFile.value(file, KEY);
        return value != null && !PasswordHashing.isHash(value) && PasswordHashing.verify(hash, value.toCharArray());
    }
}
