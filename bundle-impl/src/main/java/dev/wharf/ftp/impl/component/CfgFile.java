package dev.wharf.ftp.impl.component;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Changes one value in a .cfg file the way a person would: the file is written whole under another name and moved
 * over the old one, keeping its other lines and comments. Not through ConfigAdmin: FileInstall then rewrites the
 * file in place (truncate, write), and its own scanner, polling the same file, can read it empty in between and save
 * the emptiness back; seen under load losing a new user's whole configuration right after its password was hashed.
 * A file replaced at once is read whole; FileInstall then updates the configuration from it.
 */
final class CfgFile {

    /** The key FileInstall puts into a configuration it read from a file: the file's URI. */
    static final String FILENAME = "felix.fileinstall.filename";

    private CfgFile() {
    }

    /**
     * The .cfg file FileInstall read the configuration from, or null when it did not come from one. A typed .config
     * file is not one: its values are quoted, and ConfigAdmin's write-back keeps that format.
     */
    static Path of(Map<String, ?> properties) {
        Object file = properties.get(FILENAME);
        if (file == null || !file.toString().endsWith(".cfg")) {
            return null;
        }
        try {
            return Path.of(URI.create(file.toString()));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    /** The value of {@code key} in the file as a properties reader sees it, or null when the file has none. */
    static String value(Path file, String key) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in); // ISO-8859-1, as FileInstall reads .cfg files by default
        }
        return properties.getProperty(key);
    }

    /**
     * Sets {@code key} to {@code value} (a value without backslashes or line breaks, e.g. a hash): its line (and the
     * lines continuing it) is replaced, or a line is added when the file has none.
     */
    static void replaceValue(Path file, String key, String value) throws IOException {
        List<String> out = new ArrayList<>();
        boolean replaced = false;
        boolean continuing = false;
        // ISO-8859-1 maps every byte to a character and back, so the other lines keep their bytes whatever
        // encoding they were written in (FileInstall itself reads .cfg files as ISO-8859-1 by default)
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            if (continuing) {
                continuing = endsWithContinuation(line);
                continue;
            }
            if (key.equals(keyOf(line))) {
                if (!replaced) {
                    out.add(key + " = " + value);
                    replaced = true;
                }
                continuing = endsWithContinuation(line);
            } else {
                out.add(line);
            }
        }
        if (!replaced) {
            out.add(key + " = " + value);
        }
        // A symbolic link (a .cfg kept elsewhere) stays a link: the file it points to is the one replaced.
        Path target = file.toRealPath();
        Path tmp = target.resolveSibling(target.getFileName() + ".wharf-tmp");
        try {
            createLike(target, tmp);
            Files.write(tmp, out, StandardCharsets.ISO_8859_1, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates {@code tmp} empty with the permissions of {@code original} before anything is written to it, so that
     * the new content is never readable by more people than the old (a user file is often 0600).
     */
    private static void createLike(Path original, Path tmp) throws IOException {
        Files.deleteIfExists(tmp);
        PosixFileAttributeView view = Files.getFileAttributeView(original, PosixFileAttributeView.class);
        if (view == null) {
            Files.createFile(tmp);
            return;
        }
        Set<PosixFilePermission> permissions = view.readAttributes().permissions();
        // created with the umask applied (never wider), then set exactly: the umask may have narrowed it
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(permissions));
        Files.setPosixFilePermissions(tmp, permissions);
    }

    /** The key of a properties line, or null for a comment or blank line. */
    private static String keyOf(String line) {
        String t = line.stripLeading();
        if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
            return null;
        }
        int end = 0;
        while (end < t.length() && "=: \t".indexOf(t.charAt(end)) < 0) {
            end++;
        }
        return t.substring(0, end);
    }

    private static boolean endsWithContinuation(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return (backslashes & 1) != 0;
    }
}
