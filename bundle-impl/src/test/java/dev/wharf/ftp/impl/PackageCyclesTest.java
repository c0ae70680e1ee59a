package dev.wharf.ftp.impl;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.wharf.ftp.impl.net.FtpEndpoint;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The packages of wharf-impl are layers: {@code component} on top, then {@code net}, {@code protocol}, {@code data}
 * and the leaves ({@code fs}, {@code tls}, {@code settings}, {@code auth}). No package may depend on one that
 * depends back on it, directly or through others; and only {@code component} may refer to {@code org.osgi}: the
 * engine is plain Java, usable and testable without a framework.
 *
 * <p>Read from the compiled classes, not the sources: every class a class file refers to (in code, in a field or
 * method type, a generic signature or an annotation) is named in its constant pool, and an unused import is not.
 */
public class PackageCyclesTest {

    private static final String IMPL = "dev/wharf/ftp/impl/";
    private static final Pattern IMPL_CLASS = Pattern.compile(Pattern.quote(IMPL) + "[A-Za-z0-9_$/]+");

    /** package (dotted, below dev.wharf.ftp.impl) → package it uses → "Class -> Class" examples. */
    private static Map<String, Map<String, Set<String>>> graph;
    /** package → the classes of it that refer to org.osgi. */
    private static Map<String, Set<String>> osgiUsers;

    @Test
    public void noPackageDependsOnItselfThroughOthers() throws IOException {
        read();
        assertTrue("the classes of wharf-impl were not found (read " + graph.keySet() + ")",
                graph.keySet().containsAll(List.of("component", "net", "protocol", "data", "fs", "tls")));
        assertTrue("component uses net: " + graph.get("component").keySet(), graph.get("component").containsKey("net"));
        for (Map.Entry<String, Map<String, Set<String>>> p : graph.entrySet()) {
            System.out.println(p.getKey() + " -> " + p.getValue().keySet());
        }
        List<String> cycles = cycles(graph);
        if (!cycles.isEmpty()) {
            fail(String.join("\n", cycles));
        }
    }

    @Test
    public void onlyTheComponentPackageRefersToOsgi() throws IOException {
        read();
        Map<String, Set<String>> others = new TreeMap<>(osgiUsers);
        others.remove("component");
        assertTrue("the components are found to use org.osgi", osgiUsers.containsKey("component"));
        assertEquals("classes outside dev.wharf.ftp.impl.component that refer to org.osgi (the engine is plain Java)",
                Map.of(), others);
    }

    /** The check itself: a cycle through three packages is named with the classes that make each step. */
    @Test
    public void aCycleIsNamedWithItsClasses() {
        Map<String, Map<String, Set<String>>> g = new TreeMap<>();
        edge(g, "protocol", "data", "protocol.Session -> data.DataChannel");
        edge(g, "data", "fs", "data.TransferPump -> fs.VirtualFileSystem");
        edge(g, "fs", "protocol", "fs.Quota -> protocol.Reply");
        edge(g, "net", "protocol", "net.FtpEndpoint -> protocol.Session");
        edge(g, "auth", "settings", "auth.Users -> settings.Limits");
        List<String> cycles = cycles(g);
        assertEquals(cycles.toString(), 1, cycles.size());
        String message = cycles.get(0);
        assertTrue(message, message.contains("data -> fs -> protocol -> data"));
        assertTrue(message, message.contains("fs.Quota -> protocol.Reply"));
        assertTrue(message, !message.contains("net"));

        edge(g, "protocol", "net", "protocol.Session -> net.Acceptor");
        assertTrue(cycles(g).toString(), cycles(g).get(0).contains("net"));
    }

    private static void edge(Map<String, Map<String, Set<String>>> g, String from, String to, String example) {
        g.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>()).add(example);
        g.computeIfAbsent(to, k -> new TreeMap<>());
    }

    // ---- the dependency graph, from the class files --------------------------------------------------------------

    private static synchronized void read() throws IOException {
        if (graph != null) {
            return;
        }
        Map<String, Map<String, Set<String>>> g = new TreeMap<>();
        Map<String, Set<String>> osgi = new TreeMap<>();
        Path location;
        try {
            location = Path.of(FtpEndpoint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("where the classes of wharf-impl are", e);
        }
        // target/classes in a Maven build; the jar where the tests run against it
        try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location);
                Stream<Path> files = Files.walk(jar == null ? location : jar.getPath("/"))) {
            Path root = jar == null ? location : jar.getPath("/");
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList())) {
                String name = root.relativize(file).toString().replace('\\', '/');
                if (!name.startsWith(IMPL)) {
                    continue;
                }
                String from = packageOf(name);
                String fromClass = simpleName(name);
                g.computeIfAbsent(from, k -> new TreeMap<>());
                List<String> strings;
                try (InputStream in = Files.newInputStream(file)) {
                    strings = constantPoolStrings(in, name);
                }
                for (String s : strings) {
                    if (s.contains("org/osgi/")) {
                        osgi.computeIfAbsent(from, k -> new TreeSet<>()).add(fromClass);
                    }
                    Matcher m = IMPL_CLASS.matcher(s);
                    while (m.find()) {
                        String to = packageOf(m.group());
                        if (!to.equals(from)) {
                            g.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>())
                                    .add(fromClass + " -> " + simpleName(m.group()));
                        }
                    }
                }
            }
        }
        graph = g;
        osgiUsers = osgi;
    }

    /** "dev/wharf/ftp/impl/net/FtpEndpoint$1.class" → "net". */
    private static String packageOf(String internalName) {
        String rest = internalName.substring(IMPL.length());
        int slash = rest.lastIndexOf('/');
        return slash < 0 ? "" : rest.substring(0, slash).replace('/', '.');
    }

    /** "dev/wharf/ftp/impl/net/FtpEndpoint$1.class" → "net.FtpEndpoint": the source file to look at. */
    private static String simpleName(String internalName) {
        String rest = internalName.substring(IMPL.length()).replace('/', '.');
        if (rest.endsWith(".class")) {
            rest = rest.substring(0, rest.length() - ".class".length());
        }
        int nested = rest.indexOf('$');
        return nested < 0 ? rest : rest.substring(0, nested);
    }

    /**
     * The UTF-8 entries of a class file's constant pool (JVMS 4.4): they hold every class name, descriptor and
     * signature the class refers to. The other entries are skipped by their fixed sizes.
     */
    static List<String> constantPoolStrings(InputStream classFile, String name) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException(name + " is not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        List<String> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: // Utf8: u2 length, modified UTF-8, which is what readUTF reads
                    strings.add(in.readUTF());
                    break;
                case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
                    in.skipNBytes(2);
                    break;
                case 15: // MethodHandle
                    in.skipNBytes(3);
                    break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                    in.skipNBytes(4);
                    break;
                case 5: case 6: // Long, Double: two slots
                    in.skipNBytes(8);
                    i++;
                    break;
                default:
                    throw new IOException(name + ": unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        return strings;
    }

    // ---- cycles ------------------------------------------------------------------------------------------------

    /**
     * One message per group of packages that depend on each other (a strongly connected component of more than
     * one package): its shortest cycle, and for each step the classes that make it.
     */
    static List<String> cycles(Map<String, Map<String, Set<String>>> g) {
        List<String> messages = new ArrayList<>();
        Set<String> reported = new TreeSet<>();
        for (String p : g.keySet()) {
            if (reported.contains(p)) {
                continue;
            }
            Set<String> group = new TreeSet<>();
            for (String q : g.keySet()) {
                if (!q.equals(p) && reaches(g, p, q) && reaches(g, q, p)) {
                    group.add(q);
                }
            }
            if (group.isEmpty()) {
                continue;
            }
            group.add(p);
            reported.addAll(group);
            List<String> cycle = null;
            for (String member : group) {
                List<String> c = shortestCycle(g, member, group);
                if (cycle == null || c.size() < cycle.size()) {
                    cycle = c;
                }
            }
            StringBuilder m = new StringBuilder("package cycle in dev.wharf.ftp.impl: ")
                    .append(String.join(" -> ", cycle));
            if (group.size() > cycle.size() - 1) {
                m.append(" (all of ").append(group).append(" depend on each other)");
            }
            for (int i = 0; i + 1 < cycle.size(); i++) {
                Set<String> why = g.get(cycle.get(i)).get(cycle.get(i + 1));
                m.append("\n  ").append(cycle.get(i)).append(" -> ").append(cycle.get(i + 1)).append(": ")
                        .append(why.stream().limit(5).collect(Collectors.joining(", ")))
                        .append(why.size() > 5 ? ", and " + (why.size() - 5) + " more" : "");
            }
            messages.add(m.toString());
        }
        return messages;
    }

    private static boolean reaches(Map<String, Map<String, Set<String>>> g, String from, String to) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            for (String next : g.getOrDefault(todo.poll(), Map.of()).keySet()) {
                if (next.equals(to)) {
                    return true;
                }
                if (seen.add(next)) {
                    todo.add(next);
                }
            }
        }
        return false;
    }

    /** Breadth-first from {@code start} back to it, within {@code group}: [start, ..., start]. */
    private static List<String> shortestCycle(Map<String, Map<String, Set<String>>> g, String start,
            Set<String> group) {
        Map<String, String> previous = new HashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String at = todo.poll();
            for (String next : g.getOrDefault(at, Map.of()).keySet()) {
                if (!group.contains(next)) {
                    continue;
                }
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String p = at; !p.equals(start); p = previous.get(p)) {
                        path.add(1, p);
                    }
                    path.add(start);
                    return path;
                }
                if (!previous.containsKey(next)) {
                    previous.put(next, at);
                    todo.add(next);
                }
            }
        }
        throw new IllegalStateException(start + " is in a cycle but none was found");
    }
}
