package dev.wharf.ftp.impl.logs;

import dev.wharf.ftp.impl.activity.Activity;
import dev.wharf.ftp.impl.activity.ActivitySink;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * A log file that activities are appended to, one line each, by a thread of its own: a session or transfer only
 * puts the activity in a queue. The file is reopened when it is moved or removed (logrotate's default; its
 * {@code copytruncate} works as well, as lines are appended), and {@link #close()} writes every queued line before
 * it returns. While the file cannot be written (a missing directory, a full disk), lines wait in the queue and
 * the problem is logged once, naming the configuration and key; when it works again the lines are written.
 */
public final class TransferLog implements ActivitySink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TransferLog.class.getName());
    /** Lines held while the writer is behind or the file cannot be written; beyond this they are counted, lost. */
    static final int QUEUE_LIMIT = 100_000;
    private static final long RETRY_MILLIS = 1_000;
    /** Put in the queue by close(): the writer stops once it reaches it. */
    private static final Activity END = Activity.marker("end of log");

    private final Path file;
    private final LineFormat format;
    private final Predicate<Activity> wanted;
    /** The configuration and key that named the file, for log lines: {@code etc/x.cfg: file}. */
    private final String source;
    private final BlockingQueue<Activity> queue = new ArrayBlockingQueue<>(QUEUE_LIMIT);
    private final Thread writer;
    private Writer out;
    private Object fileKey;
    private String problem;
    private volatile long dropped;

    /**
     * @param wanted which activities get a line (the format may still skip some)
     * @param source where the file was configured, for log lines
     */
    public TransferLog(Path file, LineFormat format, Predicate<Activity> wanted, String source, String threadName) {
        this.file = Objects.requireNonNull(file, "file");
        this.format = format;
        this.wanted = wanted;
        this.source = source;
        this.writer = new Thread(this::writeLoop, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    public Path file() {
        return file;
    }

    @Override
    public void accept(Activity activity) {
        if (!wanted.test(activity)) {
            return;
        }
        if (!queue.offer(activity)) {
            long lost = ++dropped;
            if (lost == 1 || lost % 10_000 == 0) {
                LOG.warning(source + ": the transfer log " + file + " is " + QUEUE_LIMIT + " lines behind; "
                        + lost + " line(s) lost so far");
            }
        }
    }

    /** Why the file cannot be written right now, or null. */
    public synchronized String problem() {
        return problem;
    }

    private void writeLoop() {
        List<Activity> batch = new ArrayList<>();
        boolean ending = false;
        while (!ending || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    batch.add(queue.take());
                }
                queue.drainTo(batch, 1000);
                int end = batch.indexOf(END);
                if (end >= 0) {
                    ending = true;
                    batch.remove(end);
                    queue.drainTo(batch); // whatever came before close() returned
                    batch.remove(END);
                }
                if (write(batch)) {
                    batch.clear();
                } else if (ending) {
                    return; // logged; the server is stopping and the file cannot take the lines
                } else {
                    Thread.sleep(RETRY_MILLIS);
                }
            } catch (InterruptedException e) {
                ending = true;
            }
        }
        closeFile();
    }

    /** Writes the lines and flushes; false when the file cannot be written (logged once). */
    private synchronized boolean write(List<Activity> batch) {
        try {
            ensureOpen();
            for (Activity a : batch) {
                String line = format.format(a);
                if (line != null) {
                    out.write(line);
                    out.write('\n');
                }
            }
            out.flush();
            if (problem != null) {
                LOG.info(source + ": the transfer log " + file + " is written again");
                problem = null;
            }
            return true;
        } catch (IOException e) {
            closeFile();
            String why = e instanceof NoSuchFileException ? "its directory does not exist" : e.toString();
            if (!why.equals(problem)) {
                problem = why;
                LOG.severe(source + ": cannot write the transfer log " + file + ": " + why
                        + "; lines are kept and written once it works");
            }
            return false;
        }
    }

    /**
     * Opens the file if needed, and reopens it when it was moved away or removed since (log rotation). Checked
     * before each batch: one stat, so that a line that follows a rotation goes into the new file.
     */
    private void ensureOpen() throws IOException {
        if (out != null) {
            Object current;
            try {
                current = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException moved) {
                current = null;
            }
            if (current == null || !current.equals(fileKey)) {
                closeFile();
            }
        }
        if (out == null) {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        }
    }

    private void closeFile() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // reopened or given up on anyway
            }
            out = null;
        }
    }

    /**
     * Stops taking lines and returns once every line taken so far is written (or, if the file cannot be written,
     * after a last attempt).
     */
    @Override
    public void close() {
        try {
            queue.put(END);
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            writer.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
