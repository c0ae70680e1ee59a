package dev.wharf.launcher;

import dev.wharf.ftp.impl.auth.PasswordHashing;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * On first start, a server with no user is useless and a fixed default password is a hole; so when {@code etc/}
 * holds no user configuration, create user {@code wharf} with a random password, store only its hash, and show
 * the password once.
 */
final class FirstUser {

    static final String NAME = "wharf";
    static final String FILE_PREFIX = "dev.wharf.ftp.user-";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int PASSWORD_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private FirstUser() {
    }

    /** Creates the user unless a {@code dev.wharf.ftp.user-*.cfg} file exists; returns whether it did. */
    static boolean ensure(Path etc, Path base, PrintStream out) throws IOException {
        Files.createDirectories(etc);
        try (DirectoryStream<Path> users = Files.newDirectoryStream(etc, FILE_PREFIX + "*.cfg")) {
            if (users.iterator().hasNext()) {
                return false;
            }
        }
        char[] password = randomPassword();
        Path file = etc.resolve(FILE_PREFIX + NAME + ".cfg");
        String content = "# Created by the Wharf launcher on first start. "
                + "Only the password's Argon2id hash is stored.\n"
                + "# To change the password, replace the hash with the output of `bin/wharf hash-password`.\n"
                + "name = " + NAME + "\n"
                + "password = " + hash(password.clone()) + "\n"
                + "home = " + escape(base.resolve("home").resolve(NAME).toAbsolutePath().toString()) + "\n"
                + "write = true\n";
        // Write beside the target (the name does not match FileInstall's *.cfg filter) and move it in whole.
        Path tmp = etc.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        out.println("Created the FTP user '" + NAME + "' with the password " + new String(password)
                + " - note it now, it is not shown again (" + file + " keeps only its hash).");
        Arrays.fill(password, '\0');
        return true;
    }

    static String hash(char[] password) {
        try {
            return PasswordHashing.hash(password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    static char[] randomPassword() {
        SecureRandom random = RANDOM;
        char[] password = new char[PASSWORD_LENGTH];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return password;
    }

    /** .cfg files are Java properties: a backslash starts an escape. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}
