package dev.wharf.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The split between an installation ({@code bin/ lib/ bundle/} and the default {@code etc/}, replaced on an
 * upgrade) and an instance's base directory ({@code etc/ data/ home/ log/}, the user's), as Karaf has it with
 * KARAF_HOME and KARAF_BASE. A new base starts with a copy of the installation's default configuration.
 */
final class InstanceBase {

    private InstanceBase() {
    }

    /** Creates the base and, when it has no {@code etc/} yet, copies the installation's defaults into it. */
    static void prepare(Path home, Path base, PrintStream out) throws IOException {
        Files.createDirectories(base);
        Path etc = base.resolve("etc");
        if (home.equals(base) || Files.isDirectory(etc)) {
            return;
        }
        Path defaults = home.resolve("etc");
        Files.createDirectories(etc);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(defaults, "*.cfg")) {
            for (Path file : files) {
                Files.copy(file, etc.resolve(file.getFileName()));
            }
        }
        out.println("New base directory " + base + ": configuration copied from " + defaults);
    }
}
