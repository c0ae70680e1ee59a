package dev.wharf.ftp.impl.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The permissions of what users create, from a umask: files get {@code 0666 & ~umask}, directories
 * {@code 0777 & ~umask}. They are given at creation and then set exactly, so the JVM's own umask (whatever the
 * service manager started it with) decides nothing.
 */
public final class FileModes {

    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    /** As ProFTPD's and most systems' default: owner writes, everyone reads. (After BITS, which it needs.) */
    public static final FileModes DEFAULT = new FileModes(022);

    /**
     * The JVM process's own umask, found once by creating a file with every permission asked for (there is no
     * Java call for it); -1 when it cannot be found, and then every new entry's permissions are set explicitly.
     */
    private static final int PROCESS_UMASK = probeProcessUmask();

    private final int umask;
    private final Set<PosixFilePermission> file;
    private final Set<PosixFilePermission> directory;

    /** @param umask 0 to 0777 */
    public FileModes(int umask) {
        if (umask < 0 || umask > 0777) {
            throw new IllegalArgumentException("a umask is 000 to 777 (octal)");
        }
        this.umask = umask;
        this.file = permissions(0666 & ~umask);
        this.directory = permissions(0777 & ~umask);
    }

    /** The modes of a umask; the common 022 is one shared instance, as logins ask for it again and again. */
    public static FileModes of(int umask) {
        return umask == DEFAULT.umask ? DEFAULT : new FileModes(umask);
    }

    /**
     * A umask as configured: three or four octal digits such as {@code 022} or {@code 0077}.
     *
     * @throws IllegalArgumentException saying what is allowed
     */
    public static int parseUmask(String text) {
        String t = text == null ? "" : text.trim();
        if (!t.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("not a umask: three octal digits such as 022 or 077");
        }
        return Integer.parseInt(t, 8);
    }

    public int umask() {
        return umask;
    }

    /** The permissions of a new file. */
    public Set<PosixFilePermission> file() {
        return file;
    }

    /** The permissions of a new directory. */
    public Set<PosixFilePermission> directory() {
        return directory;
    }

    FileAttribute<Set<PosixFilePermission>> fileAttribute() {
        return PosixFilePermissions.asFileAttribute(file);
    }

    FileAttribute<Set<PosixFilePermission>> directoryAttribute() {
        return PosixFilePermissions.asFileAttribute(directory);
    }

    /**
     * Whether creating an entry with these permissions gives exactly them: the process umask takes none of them
     * away, so setting them again after creation would change nothing.
     */
    static boolean creationIsExact(Set<PosixFilePermission> permissions) {
        return PROCESS_UMASK >= 0 && (mode(permissions) & PROCESS_UMASK) == 0;
    }

    private static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int bit = 0; bit < BITS.length; bit++) {
            if (permissions.contains(BITS[bit])) {
                mode |= 1 << bit;
            }
        }
        return mode;
    }

    private static int probeProcessUmask() {
        try {
            Path probe = Files.createTempFile("wharf-umask", ".probe",
                    PosixFilePermissions.asFileAttribute(permissions(0777)));
            try {
                return 0777 & ~mode(Files.getPosixFilePermissions(probe));
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return -1;
        }
    }

    /** The permissions of an octal mode such as {@code 0644}. */
    public static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(BITS[bit]);
            }
        }
        return set;
    }

    @Override
    public String toString() {
        return String.format("%03o", umask);
    }
}
