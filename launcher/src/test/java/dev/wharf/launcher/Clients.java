package dev.wharf.launcher;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real FTP clients (curl, lftp, Python's ftplib, openssl s_client) run as processes with a time limit; their
 * exit status and output are returned for the test to check.
 */
final class Clients {

    /** The longest any single client run may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    static final Path PYTHON_CLIENT = Path.of(System.getProperty("wharf.it.python",
            "src/test/python/ftps_client.py")).toAbsolutePath();

    private static final Path WORK = Path.of(System.getProperty("wharf.it.dir", "target/it")).toAbsolutePath();

    private Clients() {
    }

    /** What a client run left behind. */
    record Result(List<String> command, int exit, String out, String err) {

        boolean ok() {
            return exit == 0;
        }

        String both() {
            return out + err;
        }

        /** For assertion messages: the command and everything it printed. */
        @Override
        public String toString() {
            return "$ " + String.join(" ", command) + "\nexit " + exit + "\n--- stdout:\n" + out
                    + "\n--- stderr:\n" + err;
        }
    }

    /** A client running in the background (e.g. a session kept open across a configuration change). */
    static final class Background {
        private final List<String> command;
        private final Process process;
        private final Path out;
        private final Path err;

        private Background(List<String> command, Process process, Path out, Path err) {
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** Waits until stdout contains the text. */
        void awaitOutput(String text, Duration timeout) throws InterruptedException, IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Files.readString(out, StandardCharsets.UTF_8).contains(text)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    Result r = finish(Duration.ofSeconds(1));
                    fail("no '" + text + "' from the client within " + timeout + "\n" + r);
                }
                Thread.sleep(100);
            }
        }

        /** Waits for the exit (killing the client after the timeout) and returns its result. */
        Result finish(Duration timeout) throws InterruptedException, IOException {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            String o = Files.readString(out, StandardCharsets.UTF_8);
            String e = Files.readString(err, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Result r = new Result(command, exited ? process.exitValue() : -1, o, e);
            if (!exited) {
                fail("client did not finish within " + timeout + " (killed)\n" + r);
            }
            return r;
        }
    }

    static Background start(List<String> command) throws IOException {
        Files.createDirectories(WORK);
        Path out = Files.createTempFile(WORK, "client-", ".out");
        Path err = Files.createTempFile(WORK, "client-", ".err");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // UTF-8 file names must survive the clients (lftp, python) whatever locale the build runs in
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        pb.environment().put("HOME", WORK.toString()); // no ~/.lftprc, ~/.curlrc, ~/.netrc from the build user
        return new Background(command, pb.start(), out, err);
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return start(command).finish(TIMEOUT);
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(Arrays.asList(command));
    }

    /** curl, silent but with errors ({@code -sS}), verbose ({@code -v}: the FTP dialogue is on stderr). */
    static Result curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-v", "--connect-timeout", "10", "--max-time", "50",
                "--ftp-create-dirs"));
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    /**
     * lftp with debug output (the FTP dialogue, on stderr), certificate checks off (the server's certificate is
     * self-signed), TLS forced, no endless retries, and a non-zero exit for a failed command.
     *
     * @param settings extra {@code set} commands, e.g. {@code set ftp:passive-mode off}
     * @param url {@code ftp://127.0.0.1:port} or {@code ftps://...}
     */
    static Result lftp(String url, String user, String password, String settings, String commands)
            throws IOException, InterruptedException {
        String script = "set ftp:ssl-force true; set ssl:verify-certificate no; set net:max-retries 1;"
                + " set net:timeout 10; set net:reconnect-interval-base 1; set cmd:fail-exit yes;"
                + " set xfer:clobber on; set cmd:interactive false; " + settings + "; "
                + "open -u " + user + "," + password + " " + url + "; " + commands;
        return run("lftp", "-d", "-c", script);
    }

    /** src/test/python/ftps_client.py: ftplib's FTP_TLS (or the subclass that reuses the TLS session). */
    static Result python(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", PYTHON_CLIENT.toString()));
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    static Background pythonInBackground(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("python3", PYTHON_CLIENT.toString()));
        cmd.addAll(Arrays.asList(args));
        return start(cmd);
    }

    /** {@code openssl ...} with stdin at EOF, so that s_client ends after the handshake. */
    static Result openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    /** The first line a version command prints (for docs/interop.md and the test log). */
    static String version(String... command) {
        try {
            Result r = run(command);
            String text = (r.out().isBlank() ? r.err() : r.out()).strip();
            return text.lines().findFirst().orElse("?");
        } catch (IOException | InterruptedException e) {
            return "unavailable: " + e;
        }
    }
}
