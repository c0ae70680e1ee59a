package dev.wharf.launcher;

import dev.wharf.ftp.impl.tls.HandshakeFailures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Standalone Wharf: embeds Felix through the standard {@link FrameworkFactory}, installs every jar of
 * {@code <home>/bundle}, and lets FileInstall feed {@code <home>/etc/*.cfg} to ConfigAdmin.
 *
 * <p>The framework cache is wiped on each start, so the bundle set is always exactly what is in {@code bundle/};
 * the configuration survives because its source of truth is {@code etc/} (FileInstall writes ConfigAdmin changes
 * back there), and Wharf keeps its own state (the self-signed certificate) under {@code wharf.data}.
 */
public final class Main {

    private static final long STOP_TIMEOUT_MS = 30_000;
    /** How long the start waits for the configured listeners to bind before it reports. */
    private static final long LISTENER_WAIT_SECONDS = 10;
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";

    // JUL holds loggers weakly: keep a reference, or the level set on them can be lost to garbage collection.
    private static final List<Logger> CONFIGURED_LOGGERS = new ArrayList<>();

    /** Held until the JVM exits (a static field, so that its channel is never garbage-collected and closed). */
    private static FileLock instanceLock;

    /** Set by the shutdown hook; System.exit must not be called while the hooks run (it would block). */
    private static volatile boolean shuttingDown;

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
        }
        List<String> rest = new ArrayList<>(List.of(args));
        int webConsolePort = webConsoleSwitch(rest);
        String command = rest.isEmpty() ? "run" : rest.get(0);
        int status;
        switch (command) {
            case "run" -> status = webConsolePort < 0 ? 2 : run(home(), base(), webConsolePort);
            case "hash-password" -> status = hashPassword();
            case "version", "--version", "-V" -> {
                System.out.println("Wharf " + version());
                status = 0;
            }
            case "help", "-h", "--help" -> {
                System.out.println(USAGE);
                status = 0;
            }
            default -> {
                System.err.println("wharf: unknown command '" + command + "'\n" + USAGE);
                status = 2;
            }
        }
        if (!shuttingDown) {
            System.exit(status);
        }
    }

    /** The Web Console's port when it is off by default. */
    static final int WEB_CONSOLE_PORT = 8181;

    /**
     * Takes {@code --webconsole[=PORT]} out of the arguments.
     *
     * @return 0 when absent, the port when given, -1 (said on stderr) for a bad port
     */
    static int webConsoleSwitch(List<String> args) {
        int port = 0;
        for (java.util.Iterator<String> i = args.iterator(); i.hasNext();) {
            String a = i.next();
            if (a.equals("--webconsole")) {
                port = WEB_CONSOLE_PORT;
                i.remove();
            } else if (a.startsWith("--webconsole=")) {
                i.remove();
                try {
                    port = Integer.parseInt(a.substring("--webconsole=".length()));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65535) {
                    System.err.println("wharf: --webconsole=PORT needs a port from 1 to 65535, not '"
                            + a.substring("--webconsole=".length()) + "'");
                    return -1;
                }
            }
        }
        return port;
    }

    private static final String USAGE = """
            usage: wharf [--base DIR] [run] [--webconsole[=PORT]]
                                             run the server in the foreground (configuration: DIR/etc/*.cfg);
                                             --webconsole also serves the Felix Web Console on 127.0.0.1:8181
                   wharf hash-password       read a password (without echo on a terminal) and print its hash
                   wharf --version           print the version

            The instance's configuration (etc/), state (data/), default user homes (home/) and logs (log/) live
            in its base directory: --base DIR, else $WHARF_BASE, else the installation directory itself.""";

    /** The distribution folder: set by bin/wharf, else the folder above the launcher jar (lib/..). */
    static Path home() {
        String property = System.getProperty("wharf.home");
        if (property != null) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = jar.toAbsolutePath().getParent();
            return lib != null && lib.getParent() != null ? lib.getParent() : Path.of("").toAbsolutePath();
        } catch (Exception e) {
            return Path.of("").toAbsolutePath();
        }
    }

    /** The instance folder (etc/, data/, home/, log/): set by bin/wharf, else the installation folder. */
    static Path base() {
        String property = System.getProperty("wharf.base");
        return property != null ? Path.of(property).toAbsolutePath().normalize() : home();
    }

    /** The version of this build, from the launcher jar's manifest. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "(unknown version)";
    }

    private static int run(Path home, Path base, int webConsolePort) {
        configureLogging();
        boolean debug = Boolean.getBoolean("wharf.debug");
        Path etc = base.resolve("etc");
        Path data = base.resolve("data");
        Path bundleDir = home.resolve("bundle");
        // Bundles read these through BundleContext.getProperty, which falls back to system properties.
        System.setProperty("wharf.home", home.toString());
        System.setProperty("wharf.base", base.toString());
        System.setProperty("wharf.data", data.toString());

        List<Path> jars;
        try {
            // A second instance on the same home would wipe the first one's framework cache under it.
            Files.createDirectories(data);
            instanceLock = FileChannel.open(data.resolve("wharf.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE).tryLock();
            if (instanceLock == null) {
                System.err.println("wharf: another Wharf is already running with the base directory " + base);
                return 1;
            }
            InstanceBase.prepare(home, base, System.out);
            FirstUser.ensure(etc, base, System.out);
            jars = new ArrayList<>(listJars(bundleDir));
            if (webConsolePort > 0) {
                String refusal = WebConsoleAccess.ensure(etc, "http://" + webConsoleHost() + ":" + webConsolePort
                        + "/system/console/ftp", System.out);
                if (refusal != null) {
                    System.err.println("wharf: " + refusal);
                    return 1;
                }
                jars.addAll(listJars(home.resolve("webconsole")));
            }
        } catch (IOException e) {
            System.err.println("wharf: " + e);
            return 1;
        }

        Framework framework;
        try {
            framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no OSGi framework on the classpath (lib/)"))
                    .newFramework(frameworkProperties(etc, data, webConsolePort));
            framework.init();
        } catch (Exception e) {
            System.err.println("wharf: cannot create the OSGi framework: " + e);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shuttingDown = true;
            stop(framework);
        }, "wharf-shutdown"));

        try {
            BundleContext context = framework.getBundleContext();
            OsgiLogBridge.attach(context, debug);
            List<Bundle> bundles = new ArrayList<>();
            for (Path jar : jars) {
                // reference: runs the jar in place instead of copying it into the (throw-away) cache
                bundles.add(context.installBundle("reference:" + jar.toUri()));
            }
            framework.start();
            // FileInstall first, before ConfigAdmin (as Karaf does since KARAF-7892): it then reads each .cfg file
            // once, when ConfigAdmin arrives. Started after ConfigAdmin it may read a file a second time while it
            // is rewriting that same file (enableConfigSave), see an empty file and save the emptiness back.
            bundles.sort(Comparator.comparing((Bundle b) -> !FILEINSTALL.equals(b.getSymbolicName())));
            for (Bundle bundle : bundles) {
                if ((bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) == 0) {
                    bundle.start();
                }
            }
            String summary = bundles.stream()
                    .map(b -> b.getSymbolicName() + " " + b.getVersion() + " " + state(b))
                    .collect(Collectors.joining(", "));
            if (debug) {
                System.out.println("Bundles: " + summary);
            }
            ListenerReport.await(context, etc, Duration.ofSeconds(LISTENER_WAIT_SECONDS), System.out, System.err);
        } catch (BundleException | RuntimeException e) {
            if (shuttingDown) {
                return 0; // Ctrl-C during start-up
            }
            System.err.println("wharf: start-up failed: " + e.getMessage());
            if (e.getCause() != null) {
                System.err.println("  caused by: " + e.getCause());
            }
            stop(framework);
            return 1;
        }

        try {
            FrameworkEvent event = framework.waitForStop(0);
            if (event.getType() == FrameworkEvent.ERROR) {
                System.err.println("wharf: the OSGi framework stopped with an error: " + event.getThrowable());
                return 1;
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Where the Web Console listens: 127.0.0.1 unless -Dorg.apache.felix.http.host says otherwise. */
    private static String webConsoleHost() {
        return System.getProperty("org.apache.felix.http.host", "127.0.0.1");
    }

    static Map<String, String> frameworkProperties(Path etc, Path data, int webConsolePort) {
        Map<String, String> p = new HashMap<>();
        if (webConsolePort > 0) {
            p.put("org.apache.felix.http.host", webConsoleHost());
            p.put("org.osgi.service.http.port", Integer.toString(webConsolePort));
        }
        p.put(Constants.FRAMEWORK_STORAGE, data.resolve("felix-cache").toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put("felix.fileinstall.dir", etc.toString());
        p.put("felix.fileinstall.filter", ".*\\.cfg");
        p.put("felix.fileinstall.poll", "1000");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.enableConfigSave", "true");
        // The framework's store starts empty at every start (above), so etc/ is the whole configuration: Wharf writes
        // configurations made in the Web Console there as .cfg files (ConfigFiles in wharf-impl).
        p.put("wharf.config.files", etc.toString());
        // Poll instead of inotify. FileInstall rewrites a .cfg file in place (truncate, then write) each time its
        // configuration is updated, including when it is first created from the file, i.e. at every start here.
        // With the NIO2 watcher the truncation itself wakes the scanner, which then reads an empty file, empties
        // the configuration and saves that back: seen here wiping etc/*.cfg within a few restarts.
        p.put("felix.fileinstall.disableNio2", "true");
        p.put("felix.fileinstall.log.default", "jul"); // its messages go to stderr with the others, not stdout
        // warnings and errors (through the log service); also what it reads when debugging
        p.put("felix.fileinstall.log.level", Boolean.getBoolean("wharf.debug") ? "4" : "2");
        p.put("ds.loglevel", "warn");                 // SCR: component activation failures and warnings
        return p;
    }

    private static List<Path> listJars(Path bundleDir) throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(bundleDir)) {
            jars = files.filter(f -> String.valueOf(f.getFileName()).endsWith(".jar")).sorted().toList();
        }
        if (jars.isEmpty()) {
            throw new IOException("no bundles in " + bundleDir);
        }
        return jars;
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            if (framework.waitForStop(STOP_TIMEOUT_MS).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("wharf: the framework did not stop within " + STOP_TIMEOUT_MS / 1000 + " s");
            }
        } catch (BundleException | InterruptedException e) {
            System.err.println("wharf: error while stopping: " + e);
        }
    }

    private static String state(Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }

    /**
     * One readable line per log record on stderr, and BouncyCastle's JSSE, which logs every connection at INFO,
     * limited to warnings. A user's own java.util.logging configuration file takes precedence.
     */
    private static void configureLogging() {
        LogManager.getLogManager(); // initialise JUL (and read a configuration file, if any) first
        ShutdownSafeLogManager.keepHandlers = true;
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        // a format of the user's own (-Djava.util.logging.SimpleFormatter.format) goes to SimpleFormatter
        boolean ownFormat = System.getProperty("java.util.logging.SimpleFormatter.format") != null;
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler console = new ConsoleHandler(); // stderr
        console.setFormatter(ownFormat ? new SimpleFormatter() : new LogLineFormatter());
        console.setLevel(Level.ALL); // levels are decided by the loggers
        root.addHandler(console);
        setLevel("org.bouncycastle", Level.WARNING);
        // warns at every start about JDK security-property entries it does not understand: not actionable
        setLevel("org.bouncycastle.jsse.provider.DisabledAlgorithmConstraints", Level.SEVERE);
        // A client that goes away mid-handshake (or the deadline that ends one) is bad input, not a server fault:
        // BCJSSE reports it as an internal_error WARNING with a stack trace, and Wharf logs its own line for it.
        Logger tlsServer = Logger.getLogger("org.bouncycastle.jsse.provider.ProvTlsServer");
        tlsServer.setFilter(record -> {
            if (record.getLevel().intValue() < Level.WARNING.intValue()
                    || !HandshakeFailures.endedByTransport(record.getThrown())) {
                return true;
            }
            record.setLevel(Level.FINE);
            return tlsServer.isLoggable(Level.FINE);
        });
        CONFIGURED_LOGGERS.add(tlsServer);
    }

    private static void setLevel(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        CONFIGURED_LOGGERS.add(logger);
    }

    /**
     * JUL's own shutdown hook resets the log manager, closing every handler while our hook is still stopping the
     * bundles: what they log then would be lost. Once the launcher has set logging up, reset() does nothing.
     * Installed through the {@code java.util.logging.manager} property, set first thing in main.
     */
    public static final class ShutdownSafeLogManager extends LogManager {
        static volatile boolean keepHandlers;

        @Override
        public void reset() {
            if (!keepHandlers) {
                super.reset();
            }
        }
    }

    private static int hashPassword() {
        char[] password;
        try {
            password = interactiveConsole() != null ? askTwice(interactiveConsole()) : firstLineOfStdin();
        } catch (IOException e) {
            System.err.println("wharf: cannot read the password: " + e.getMessage());
            return 1;
        }
        if (password == null || password.length == 0) {
            System.err.println("wharf: no password given; usage: wharf hash-password (it asks), or "
                    + "echo 'secret' | wharf hash-password");
            return 1;
        }
        System.out.println(FirstUser.hash(password));
        return 0;
    }

    /** The console when a person types at a terminal; null when standard input is a pipe or a file. */
    private static java.io.Console interactiveConsole() {
        java.io.Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            // Java 22+ returns a console for pipes too, and says whether it is a terminal.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console) ? console : null;
        } catch (ReflectiveOperationException olderJava) {
            return console; // before Java 22 there is a console only for a terminal
        }
    }

    private static char[] askTwice(java.io.Console console) throws IOException {
        char[] first = console.readPassword("Password: ");
        char[] again = console.readPassword("Again: ");
        if (first == null || again == null) {
            throw new IOException("no password given");
        }
        boolean same = java.util.Arrays.equals(first, again);
        java.util.Arrays.fill(again, '\0');
        if (!same) {
            java.util.Arrays.fill(first, '\0');
            throw new IOException("the two passwords differ");
        }
        return first;
    }

    private static char[] firstLineOfStdin() throws IOException {
        String encoding = System.getProperty("stdin.encoding", System.getProperty("native.encoding"));
        Charset charset = encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding)
                : Charset.defaultCharset();
        String line = new BufferedReader(new InputStreamReader(System.in, charset)).readLine();
        return line == null ? null : line.toCharArray();
    }
}
