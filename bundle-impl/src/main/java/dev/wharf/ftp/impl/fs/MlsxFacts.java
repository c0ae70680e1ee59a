package dev.wharf.ftp.impl.fs;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Machine-readable listing facts (RFC 3659 section 7): {@code type}, {@code size}, {@code modify}, {@code perm}
 * and {@code unique}, in the order a client enabled them with OPTS MLST.
 */
public final class MlsxFacts {

    /** The facts this server offers; all are on by default. */
    public enum Fact {
        TYPE, SIZE, MODIFY, PERM, UNIQUE;

        public String label() {
            return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
        }
    }

    private MlsxFacts() {
    }

    /** The FEAT line: {@code MLST type*;size*;...} with {@code *} on the facts currently enabled. */
    public static String featLine(Set<Fact> enabled) {
        StringBuilder b = new StringBuilder("MLST ");
        for (Fact f : Fact.values()) {
            b.append(f.label().toLowerCase(Locale.ROOT));
            if (enabled.contains(f)) {
                b.append('*');
            }
            b.append(';');
        }
        return b.toString();
    }

    /**
     * Parses the argument of {@code OPTS MLST}: the facts the client wants, unknown ones ignored (RFC 3659 7.9).
     */
    public static EnumSet<Fact> parseSelection(String argument) {
        EnumSet<Fact> selected = EnumSet.noneOf(Fact.class);
        for (String name : argument.split(";")) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            for (Fact f : Fact.values()) {
                if (f.name().equals(n)) {
                    selected.add(f);
                }
            }
        }
        return selected;
    }

    /**
     * One entry: the enabled facts, a space, then the name.
     *
     * @param writable whether the user may change files (decides the perm letters)
     */
    public static String entry(BasicFileAttributes a, String name, Set<Fact> facts, boolean writable) {
        StringBuilder b = new StringBuilder(96 + name.length());
        for (Fact f : Fact.values()) {
            if (!facts.contains(f)) {
                continue;
            }
            switch (f) {
                case TYPE -> b.append("type=").append(a.isDirectory() ? "dir" : a.isRegularFile() ? "file"
                        : a.isSymbolicLink() ? "OS.unix=slink" : "OS.unix=other");
                case SIZE -> b.append("size=").append(a.isDirectory() ? 0 : a.size());
                case MODIFY -> b.append("modify=").append(ListingFormat.timeVal(a.lastModifiedTime().toInstant()));
                case PERM -> b.append("perm=").append(perm(a, writable));
                case UNIQUE -> b.append("unique=").append(unique(a));
                default -> throw new IllegalStateException(f.name());
            }
            b.append(';');
        }
        return b.append(' ').append(name).toString();
    }

    /**
     * RFC 3659 7.5.5: what this user may do with the entry. Read from the entry's attributes (the file is not
     * touched again): the account's write permission, narrowed by the owner's write bit where there are POSIX
     * permissions.
     */
    static String perm(BasicFileAttributes a, boolean writable) {
        boolean canWrite = writable && (!(a instanceof PosixFileAttributes p)
                || p.permissions().contains(PosixFilePermission.OWNER_WRITE));
        StringBuilder perm = new StringBuilder();
        if (a.isDirectory()) {
            if (canWrite) {
                perm.append("cmp"); // create files, make directories, purge contents
            }
            perm.append("el");
        } else if (a.isRegularFile()) {
            if (canWrite) {
                perm.append("aw"); // append, write (store)
            }
            perm.append('r');
        }
        if (writable) {
            perm.append("df"); // delete, rename
        }
        return perm.toString();
    }

    /** A value that is the same for one file reached by different names: the file key (device and inode). */
    private static String unique(BasicFileAttributes a) {
        Object key = a.fileKey(); // on Unix "(dev=803,ino=1234)": exact, so kept whole, minus punctuation
        return key != null ? key.toString().replaceAll("[^0-9A-Za-z]", "")
                : Long.toHexString(a.creationTime().toMillis());
    }
}
