package dev.wharf.itests.karafdist;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Runs a command line to its end within a time limit; its output (stdout and stderr together) goes to a file. */
final class Proc {

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    record Result(List<String> command, int exit, String output) {
        boolean ok() {
            return exit == 0;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exit + (output.isBlank() ? "" : ", output:\n"
                    + output.strip());
        }
    }

    private Proc() {
    }

    /**
     * Runs the command in the directory with the environment added (variables named KARAF_* of the build's own
     * environment are removed, so that they cannot point the scripts at another Karaf). Output goes to a file, not
     * a pipe: a script that starts a background process (bin/start) must not hold the test's pipe open. A command
     * that outlives the timeout is killed with its descendants and fails the test.
     */
    static Result run(Path dir, Map<String, String> env, String stdin, Duration timeout, List<String> command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("wharf-proc-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("KARAF_"));
            pb.environment().putAll(env);
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin.getBytes(UTF_8));
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not end within " + timeout.toSeconds()
                        + " s; output so far:\n" + read(out));
            }
            return new Result(command, p.exitValue(), read(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String read(Path file) throws IOException {
        return ANSI.matcher(new String(Files.readAllBytes(file), UTF_8)).replaceAll("").replace("\r", "");
    }
}
