package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.impl.activity.Activities;
import dev.wharf.ftp.impl.activity.Activity;
import dev.wharf.ftp.impl.logs.JsonLineFormat;
import dev.wharf.ftp.impl.logs.LineFormat;
import dev.wharf.ftp.impl.logs.TransferLog;
import dev.wharf.ftp.impl.logs.XferlogFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * A transfer log ({@code dev.wharf.ftp.xferlog}): one line per upload and download (and, if asked, per other file
 * operation or login) in the xferlog format or as JSON lines. A changed configuration replaces the log; the old
 * one writes every line it took before it closes.
 */
@Component(configurationPid = "dev.wharf.ftp.xferlog", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = TransferLogComponent.Config.class, factory = true)
public final class TransferLogComponent {

    private static final Logger LOG = Logger.getLogger(TransferLogComponent.class.getName());

    /** What a log takes: transfers only, all file operations, or everything including sessions and logins. */
    enum Events {
        TRANSFERS, FILES, ALL
    }

    /** The line format. */
    enum Format {
        XFERLOG, JSON
    }

    @ObjectClassDefinition(name = "Wharf FTP: transfer log",
            description = "Writes a line per transfer to a file, in the xferlog format (for existing report tools) "
                    + "or as JSON lines with every event property.")
    public @interface Config {
        @AttributeDefinition(name = "Name")
        String name() default "default";

        @AttributeDefinition(name = "File",
                description = "The log file; a relative path is taken from the instance's base directory (the "
                        + "launcher's --base; Karaf's data directory). Its directory is created if missing.")
        String file() default "log/xferlog";

        @AttributeDefinition(name = "Format",
                options = {@Option(label = "xferlog (wu-ftpd, vsftpd, ProFTPD)", value = "xferlog"),
                    @Option(label = "JSON lines, every event property", value = "json")})
        String format() default "xferlog";

        @AttributeDefinition(name = "Events",
                description = "transfers: uploads and downloads; files: also deletes, renames and directories "
                        + "(xferlog has lines for deletes only); all: also sessions and logins (JSON only).",
                options = {@Option(label = "Transfers", value = "transfers"),
                    @Option(label = "File operations", value = "files"),
                    @Option(label = "Everything", value = "all")})
        String events() default "transfers";

        @AttributeDefinition(name = "Listeners", required = false,
                description = "Names of the listeners whose activity is logged (comma separated); empty: all.")
        String[] listeners() default {};

        String webconsole_configurationFactory_nameHint() default "Transfer log {name}: {file}";
    }

    private final Activities activities;
    private final TransferLog log;

    @Activate
    public TransferLogComponent(Map<String, Object> properties, BundleContext context,
            @Reference ServerRuntimeComponent runtime) {
        ConfigReader config = new ConfigReader(Config.class, properties);
        config.unknownKeys().forEach(LOG::warning);
        String name = config.text("name");
        Path file = file(config, context);
        Format format = config.choice("format", Format.class);
        Events events = config.choice("events", Events.class);
        Set<String> listeners = Set.copyOf(config.list("listeners"));
        this.activities = runtime.runtime().activities();
        if (!config.problems().isEmpty()) {
            config.problems().forEach(p -> LOG.severe(p + "; the transfer log '" + name
                    + "' is not written until this is fixed"));
            this.log = null;
            return;
        }
        createDirectory(file, config.source());
        LineFormat lines = format == Format.JSON ? new JsonLineFormat() : new XferlogFormat(ZoneId.systemDefault());
        this.log = new TransferLog(file, lines, forListeners(listeners), config.source() + ": file",
                "wharf-xferlog-" + name);
        activities.add(log, topics(events));
        LOG.fine(() -> "transfer log '" + name + "' writes " + file);
    }

    /** The file, a relative one taken from the instance's base directory. */
    private static Path file(ConfigReader config, BundleContext context) {
        String value = config.text("file");
        if (value == null || value.isBlank()) {
            config.problem("file", "is empty; name the log file, e.g. log/xferlog");
            return null;
        }
        try {
            Path p = Path.of(value);
            return p.isAbsolute() ? p : baseDirectory(context).resolve(p).normalize();
        } catch (InvalidPathException e) {
            config.problem("file", "is '" + value + "', not a usable path: " + e.getReason());
            return null;
        }
    }

    /** The launcher's instance directory, else Karaf's data directory, else the working directory. */
    static Path baseDirectory(BundleContext context) {
        for (String property : List.of("wharf.base", "karaf.data")) {
            String v = context.getProperty(property);
            if (v != null && !v.isBlank()) {
                return Path.of(v);
            }
        }
        return Path.of("").toAbsolutePath();
    }

    private static void createDirectory(Path file, String source) {
        Path dir = file.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                LOG.severe(source + ": file: cannot create the directory " + dir + " of the transfer log: " + e
                        + "; lines are kept and written once it exists");
            }
        }
    }

    private static Predicate<String> topics(Events events) {
        return switch (events) {
            case TRANSFERS -> Activities.topics(List.of("dev/wharf/ftp/upload/*", "dev/wharf/ftp/download/*"));
            case FILES -> Activities.topics(List.of("dev/wharf/ftp/upload/*", "dev/wharf/ftp/download/*",
                    "dev/wharf/ftp/delete/*", "dev/wharf/ftp/rename/*", "dev/wharf/ftp/mkdir/*",
                    "dev/wharf/ftp/rmdir/*"));
            case ALL -> Activities.topics(List.of(FtpEvents.TOPIC_ALL));
        };
    }

    private static Predicate<Activity> forListeners(Set<String> listeners) {
        return listeners.isEmpty() ? a -> true : a -> listeners.contains(a.text(FtpEvents.LISTENER, ""));
    }

    @Deactivate
    void deactivate() {
        if (log != null) {
            activities.remove(log);
            log.close();
        }
    }
}
