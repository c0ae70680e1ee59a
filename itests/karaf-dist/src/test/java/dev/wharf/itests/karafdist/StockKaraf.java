package dev.wharf.itests.karafdist;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Apache Karaf unpacked from its distribution archive and driven through its own scripts, as a user drives it:
 * bin/start, bin/client -b, bin/stop. Everything runs with JAVA_HOME set to the JDK that runs the test and with
 * LANG=C.UTF-8, as the README asks.
 */
final class StockKaraf {

    private static final Pattern TIMESTAMP = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T");
    /** A thread's header line in jcmd Thread.print: its name in quotes, then "#" and its JVM-wide thread id. */
    private static final Pattern THREAD = Pattern.compile("(?m)^\"(wharf[^\"]*)\" #(\\d+)");

    final Path home;
    private final Map<String, String> env;
    private ProcessHandle process;
    private Thread killOnExit;

    private StockKaraf(Path home) {
        this.home = home;
        this.env = Map.of("JAVA_HOME", System.getProperty("java.home"), "LANG", "C.UTF-8");
    }

    /** Unpacks the archive into a fresh directory (a Karaf left running there by an earlier run is stopped first). */
    static StockKaraf unpack(Path tarball, Path dir) throws IOException, InterruptedException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> homes = Files.list(dir)) {
                for (Path old : homes.toList()) {
                    new StockKaraf(old).pidFromFile().ifPresent(p -> {
                        System.out.println("[stock-karaf] killing Karaf " + p.pid() + " left running in " + old);
                        kill(p);
                    });
                }
            }
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        Proc.Result untar = Proc.run(dir, Map.of(), null, Duration.ofMinutes(2),
                List.of("tar", "xzf", tarball.toString(), "-C", dir.toString()));
        if (!untar.ok()) {
            throw new AssertionError(untar.toString());
        }
        try (Stream<Path> homes = Files.list(dir)) {
            List<Path> found = homes.filter(p -> Files.isRegularFile(p.resolve("bin/start"))).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one Karaf in " + dir + ", found " + found);
            }
            return new StockKaraf(found.get(0));
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    void append(String file, String text) throws IOException {
        Files.writeString(home.resolve(file), text, UTF_8, StandardOpenOption.APPEND);
    }

    /** bin/start, then waits for the Karaf process (karaf.pid). */
    void start(Duration timeout) throws IOException, InterruptedException {
        Proc.Result r = Proc.run(home, env, null, Duration.ofSeconds(60), List.of("bin/start"));
        if (!r.ok()) {
            throw new AssertionError(r.toString());
        }
        long end = System.nanoTime() + timeout.toNanos();
        while (process == null) {
            process = pidFromFile().orElse(null);
            if (process == null) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("bin/start ran, but no Karaf process (karaf.pid) within "
                            + timeout.toSeconds() + " s");
                }
                Thread.sleep(200);
            }
        }
        ProcessHandle started = process;
        killOnExit = new Thread(() -> started.destroyForcibly(), "stock-karaf-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit); // the test JVM killed mid-test: do not leave Karaf behind
    }

    long pid() {
        return process.pid();
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    /** The live Karaf process of this directory, by its karaf.pid file. */
    private Optional<ProcessHandle> pidFromFile() {
        Path file = home.resolve("karaf.pid");
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String text = Files.readString(file).trim();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(text)).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** One bin/client -b session reading the given lines on its standard input. */
    Proc.Result client(String commands, Duration timeout) throws IOException, InterruptedException {
        if (!running()) {
            throw new AssertionError("Karaf is not running (anymore); bin/client: " + commands);
        }
        return Proc.run(home, env, commands + "\n", timeout, List.of("bin/client", "-b"));
    }

    /** Runs one Karaf command and fails if the client or the command reports an error; returns its output. */
    String command(String command) throws IOException, InterruptedException {
        Proc.Result r = client(command, Duration.ofMinutes(2));
        if (!r.ok() || r.output().contains("Error executing command") || r.output().contains("Command not found")) {
            throw new AssertionError("Karaf command '" + command + "' failed: " + r);
        }
        return r.output();
    }

    /** Polls bin/client until the shell answers. */
    void awaitShell(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        Proc.Result last;
        do {
            last = client("shell:echo karaf-answers", Duration.ofSeconds(60));
            if (last.ok() && last.output().contains("karaf-answers")) {
                return;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < end);
        throw new AssertionError("bin/client got no answer within " + timeout.toSeconds() + " s; last try: " + last);
    }

    /** A live thread of the Karaf JVM; ids are never reused, so an id tells one thread from a later namesake. */
    record JvmThread(String name, long id) {
        @Override
        public String toString() {
            return name + " #" + id;
        }
    }

    /** The Karaf JVM's threads whose names start with "wharf", by name, from jcmd Thread.print. */
    List<JvmThread> wharfThreads() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Proc.Result r = Proc.run(home, env, null, Duration.ofSeconds(60),
                List.of(jcmd.toString(), Long.toString(pid()), "Thread.print"));
        if (!r.ok() || !r.output().contains("Full thread dump")) {
            throw new AssertionError("jcmd Thread.print failed: " + r);
        }
        List<JvmThread> threads = new ArrayList<>();
        Matcher m = THREAD.matcher(r.output());
        while (m.find()) {
            threads.add(new JvmThread(m.group(1), Long.parseLong(m.group(2))));
        }
        threads.sort(Comparator.comparing(JvmThread::name));
        return threads;
    }

    Path log() {
        return home.resolve("data/log/karaf.log");
    }

    /** The log's entries (a line with a timestamp and the lines that continue it) whose first line matches. */
    List<String> logEntries(Predicate<String> firstLine) throws IOException {
        List<String> entries = new ArrayList<>();
        if (!Files.isRegularFile(log())) {
            return entries;
        }
        StringBuilder entry = null;
        for (String line : Files.readAllLines(log(), UTF_8)) {
            if (TIMESTAMP.matcher(line).find()) {
                if (entry != null) {
                    entries.add(entry.toString());
                }
                entry = firstLine.test(line) ? new StringBuilder(line) : null;
            } else if (entry != null) {
                entry.append('\n').append(line);
            }
        }
        if (entry != null) {
            entries.add(entry.toString());
        }
        return entries;
    }

    private static void kill(ProcessHandle p) {
        p.destroyForcibly();
        try {
            p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("process " + p.pid() + " did not end after SIGKILL", e);
        }
    }

    /** bin/stop, then waits for the process to end; kills it if it does not end in time. Never throws. */
    void stop(Duration timeout) {
        if (process == null) {
            return;
        }
        try {
            if (process.isAlive()) {
                Proc.Result r = Proc.run(home, env, null, Duration.ofSeconds(60), List.of("bin/stop"));
                System.out.println("[stock-karaf] " + r);
                process.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (Exception | AssertionError e) {
            System.out.println("[stock-karaf] Karaf " + process.pid() + " did not stop within " + timeout.toSeconds()
                    + " s (" + e + "); killing it");
            try {
                kill(process);
            } catch (AssertionError k) {
                System.out.println("[stock-karaf] " + k.getMessage());
            }
        } finally {
            if (killOnExit != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(killOnExit);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down already: the hook runs
                }
            }
        }
    }
}
