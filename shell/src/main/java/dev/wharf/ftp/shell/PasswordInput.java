package dev.wharf.ftp.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.karaf.shell.api.console.Session;

/**
 * Reads a password for a command: at a terminal it asks twice and shows nothing of what is typed; without one
 * (bin/client -b, a script) it takes the first line of the command's input, e.g. {@code echo ... | wharf:user-add}.
 */
final class PasswordInput {

    private PasswordInput() {
    }

    /** @return the password, or null when none was given (or the two entries differ: said on stderr) */
    static char[] read(Session session) throws IOException {
        String first;
        try {
            first = session.readLine("Password: ", '\0'); // NUL mask: no echo at all
        } catch (UnsupportedOperationException noTerminal) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null || line.isEmpty() ? null : line.toCharArray();
        }
        String again = session.readLine("Again: ", '\0');
        if (first == null || first.isEmpty()) {
            return null;
        }
        if (!first.equals(again)) {
            System.err.println("The two passwords differ.");
            return null;
        }
        return first.toCharArray();
    }

    static void clear(char[] password) {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
