package dev.wharf.ftp.impl.protocol;

import java.util.HashMap;
import java.util.Map;

/** Every command the server knows, with when it may be used. Filled by the command groups. */
final class CommandTable {

    /**
     * @param needsLogin refused with 530 before login
     * @param duringTransfer answered at once while a transfer runs; other commands wait for it to end
     * @param needsArgument refused with 501 without an argument
     */
    record Entry(Command command, boolean needsLogin, boolean duringTransfer, boolean needsArgument) {
    }

    private static final Map<String, Entry> COMMANDS = new HashMap<>();

    static {
        AccessCommands.register();
        SecurityCommands.register();
        ParameterCommands.register();
        FileCommands.register();
        TransferCommands.register();
        InfoCommands.register();
        MetadataCommands.register();
        DigestCommands.register();
    }

    private CommandTable() {
    }

    static Entry get(String verb) {
        return COMMANDS.get(verb);
    }

    static java.util.Set<String> verbs() {
        return java.util.Collections.unmodifiableSet(COMMANDS.keySet());
    }

    static boolean has(String verb) {
        return COMMANDS.containsKey(verb);
    }

    /** A command allowed before login (RFC 2389 and 4217: FEAT, OPTS, AUTH, PBSZ, PROT, ...). */
    static void open(String verb, Command c) {
        COMMANDS.put(verb, new Entry(c, false, false, false));
    }

    /** A command that needs a logged-in user. */
    static void loggedIn(String verb, Command c) {
        COMMANDS.put(verb, new Entry(c, true, false, false));
    }

    /** A command that needs a logged-in user and an argument. */
    static void loggedInWithArgument(String verb, Command c) {
        COMMANDS.put(verb, new Entry(c, true, false, true));
    }

    /** A command answered at once, even while a transfer runs (ABOR, STAT, NOOP). */
    static void immediate(String verb, Command c, boolean needsLogin) {
        COMMANDS.put(verb, new Entry(c, needsLogin, true, false));
    }
}
