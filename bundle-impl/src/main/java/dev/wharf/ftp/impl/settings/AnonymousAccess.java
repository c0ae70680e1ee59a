package dev.wharf.ftp.impl.settings;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Anonymous FTP on a listener: the names {@code anonymous} and {@code ftp} log in with any password (by custom an
 * e-mail address, which is logged), read-only, in a root of their own, with an optional drop box where files can
 * be added but not read.
 *
 * @param root the anonymous users' virtual root; null when anonymous access is off
 * @param dropBox a virtual directory below the root that takes uploads only, e.g. {@code /incoming}; null: none
 */
public record AnonymousAccess(Path root, String dropBox) {

    /** Anonymous access off: the default. */
    public static final AnonymousAccess OFF = new AnonymousAccess(null, null);

    public boolean enabled() {
        return root != null;
    }

    /** Whether a login name asks for anonymous access (as every FTP server has it, in any case). */
    public static boolean isAnonymousName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("anonymous") || n.equals("ftp");
    }
}
