package dev.wharf.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Test files with known content, and byte-for-byte comparison of files and folder trees. */
final class Trees {

    private Trees() {
    }

    /** A file of pseudo-random bytes (seeded: a failure is reproducible). */
    static Path randomFile(Path file, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    static void assertSameFile(Path expected, Path actual) throws IOException {
        assertTrue("missing: " + actual, Files.isRegularFile(actual));
        assertEquals("size of " + actual, Files.size(expected), Files.size(actual));
        assertEquals("first differing byte of " + actual + " (-1: none)", -1L, Files.mismatch(expected, actual));
    }

    /** Same relative paths (files and folders), and every file byte-equal. */
    static void assertSameTree(Path expected, Path actual) throws IOException {
        assertTrue("missing folder: " + actual, Files.isDirectory(actual));
        SortedSet<String> want = relativePaths(expected);
        assertEquals("entries under " + actual, want, relativePaths(actual));
        for (String p : want) {
            Path e = expected.resolve(p);
            if (Files.isRegularFile(e)) {
                assertSameFile(e, actual.resolve(p));
            }
        }
    }

    private static SortedSet<String> relativePaths(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            TreeSet<String> set = new TreeSet<>();
            files.filter(p -> !p.equals(root))
                    .forEach(p -> set.add(root.relativize(p) + (Files.isDirectory(p) ? "/" : "")));
            return set;
        }
    }
}
