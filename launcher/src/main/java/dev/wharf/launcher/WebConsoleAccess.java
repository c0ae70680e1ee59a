package dev.wharf.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;

/**
 * The Felix Web Console never runs with its built-in admin/admin: when it is switched on and its configuration
 * ({@code etc/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg}) does not exist, a random password is
 * made, shown once, and stored only as the console's own salted hash; a configuration without a password (or with
 * "admin") stops the start with a message instead.
 */
final class WebConsoleAccess {

    static final String FILE = "org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg";
    static final String USER = "admin";
    /** The Web Console's own hashed form: {sha-256}salt-iterations-base64(sha-256 applied iterations times). */
    private static final int ITERATIONS = 1000;
    private static final String SALT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private WebConsoleAccess() {
    }

    /**
     * Makes sure the console has a password of its own.
     *
     * @return null when it has, else why the console must not start
     */
    static String ensure(Path etc, String url, PrintStream out) throws IOException {
        Path file = etc.resolve(FILE);
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            String password = p.getProperty("password", "").trim();
            if (password.isEmpty() || password.equals("admin")) {
                return file + ": 'password' is " + (password.isEmpty() ? "not set" : "the well-known default")
                        + "; the Web Console would accept admin/admin. Set a password (the console's {sha-256}... "
                        + "form, or delete the file to have one made) and start again";
            }
            out.println("Web Console: " + url + " (user and password as in " + file + ")");
            return null;
        }
        char[] password = FirstUser.randomPassword();
        String content = "# Created by the Wharf launcher when the Web Console was first switched on: its login.\n"
                + "# Only the password's salted hash is kept (the console's {sha-256} form).\n"
                + "username = " + USER + "\n"
                + "password = " + hash(new String(password), salt()) + "\n";
        Path tmp = etc.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        out.println("Web Console: " + url + " - user " + USER + ", password " + new String(password)
                + " - note it now, it is not shown again (" + file + " keeps only its hash).");
        Arrays.fill(password, '\0');
        return null;
    }

    /** The Web Console's hashed form of a password (see its Password class): salt first, then the digest rounds. */
    static String hash(String password, String salt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] bytes = (salt + password).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < ITERATIONS; i++) {
                sha.reset();
                bytes = sha.digest(bytes);
            }
            return "{sha-256}" + salt + "-" + ITERATIONS + "-" + Base64.getEncoder().encodeToString(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String salt() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            b.append(SALT_ALPHABET.charAt(RANDOM.nextInt(SALT_ALPHABET.length())));
        }
        return b.toString();
    }
}
