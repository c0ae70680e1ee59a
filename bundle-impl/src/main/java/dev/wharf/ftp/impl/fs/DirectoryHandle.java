package dev.wharf.ftp.impl.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Iterator;
import java.util.Set;

/**
 * An open directory, and operations on the entries directly in it by name, none of which follows a symbolic
 * link in the entry's place. On Linux and macOS it holds the directory open ({@code openat} and friends), so
 * swapping a directory for a link after it was opened cannot move an operation elsewhere.
 */
interface DirectoryHandle extends Closeable {

    /** The real path this directory was opened at; used only to read a link's target, which is then confined. */
    Path path();

    /** This directory's own attributes (POSIX ones where the file system has them). */
    BasicFileAttributes attributes() throws IOException;

    /** An entry's attributes, a link's own for a link; null when there is no such entry. */
    BasicFileAttributes entry(String name) throws IOException;

    /** Opens a subdirectory; fails if the entry is (or has become) a link or no directory. */
    DirectoryHandle openDirectory(String name) throws IOException;

    /**
     * Opens a file with the options given plus {@code NOFOLLOW_LINKS}; {@code attributes} apply to a file it creates
     * (ignored where the file system has no POSIX permissions).
     */
    FileChannel openFile(String name, Set<? extends OpenOption> options, FileAttribute<?>... attributes)
            throws IOException;

    void deleteFile(String name) throws IOException;

    void deleteDirectory(String name) throws IOException;

    /** Renames an entry into another directory (or this one), replacing a file of the target name. */
    void move(String name, DirectoryHandle target, String targetName) throws IOException;

    void setModifiedTime(String name, FileTime time) throws IOException;

    /** @throws UnsupportedOperationException where the file system has no POSIX permissions */
    void setPermissions(String name, Set<PosixFilePermission> permissions) throws IOException;

    /** The names in this directory, once. */
    Iterator<String> names() throws IOException;

    @Override
    void close() throws IOException;
}
