package dev.wharf.ftp.impl.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.NoSuchAlgorithmException;
import java.security.URIParameter;
import javax.security.auth.login.Configuration;

/**
 * A JAAS login configuration file of the standard syntax, read without touching the JVM-wide configuration (so
 * that two stores, or another bundle, keep theirs), and read again when the file changes: fixing a mistake in it
 * needs no restart.
 */
public final class LoginConfigFile {

    private final Path file;
    private FileTime loadedAt;
    private Configuration loaded;
    private String problem;

    public LoginConfigFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /**
     * The configuration as the file says now.
     *
     * @throws IOException naming the file and what is wrong with it, when it cannot be read or parsed
     */
    public synchronized Configuration current() throws IOException {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            loaded = null;
            loadedAt = null;
            throw new IOException(file + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
        if (!modified.equals(loadedAt)) {
            loadedAt = modified;
            try {
                loaded = Configuration.getInstance("JavaLoginConfig", new URIParameter(file.toUri()));
                problem = null;
            } catch (NoSuchAlgorithmException | SecurityException e) {
                loaded = null;
                problem = file + " is not a JAAS login configuration: " + RealmLogin.describe(
                        e.getCause() != null ? e.getCause() : e);
            }
        }
        if (loaded == null) {
            throw new IOException(problem);
        }
        return loaded;
    }
}
