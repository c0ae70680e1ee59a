package dev.wharf.ftp.impl.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The commands a listener's sessions know: an immutable table of {@link CommandSpec}s by verb. */
public final class CommandTable {

    private final Map<String, CommandSpec> byVerb = new LinkedHashMap<>();
    private final List<CommandSpec> specs;

    CommandTable(List<CommandSpec> specs) {
        this.specs = List.copyOf(specs);
        for (CommandSpec spec : specs) {
            for (String verb : spec.verbs()) {
                if (byVerb.put(verb, spec) != null) {
                    throw new IllegalArgumentException("verb " + verb + " is specified twice"); // a bug, not input
                }
            }
        }
    }

    /** Every command of the FTP service (RFC 959 and the extensions Wharf implements). */
    public static CommandTable standard() {
        List<CommandSpec> all = new ArrayList<>();
        all.addAll(AccessCommands.specs());
        all.addAll(SecurityCommands.specs());
        all.addAll(ParameterCommands.specs());
        all.addAll(FileCommands.specs());
        all.addAll(TransferCommands.specs());
        all.addAll(InfoCommands.specs());
        all.addAll(MetadataCommands.specs());
        all.addAll(DigestCommands.specs());
        return new CommandTable(all);
    }

    /** The command of a verb (upper case), or null. */
    CommandSpec find(String verb) {
        return byVerb.get(verb);
    }

    /** Every verb, aliases included, in alphabetical order. */
    Set<String> verbs() {
        return new TreeSet<>(byVerb.keySet());
    }

    Collection<CommandSpec> specs() {
        return specs;
    }

    /** The FEAT lines for a session, from every command, in alphabetical order and without repeats. */
    List<String> features(FtpSession session) {
        Set<String> lines = new TreeSet<>();
        for (CommandSpec spec : specs) {
            lines.addAll(spec.features().apply(session));
        }
        return List.copyOf(lines);
    }
}
