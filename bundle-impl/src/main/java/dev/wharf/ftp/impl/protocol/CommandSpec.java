package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.hook.FileOperation;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything about one command in one place: its verbs (the first is its name, the others aliases such as
 * {@code XCWD}), when it may be used, its syntax for HELP, what it adds to FEAT, and its handler. Dispatch, HELP
 * and FEAT are all derived from these, so a new command is one specification in its group's list. A command that
 * changes or moves a file names its {@link FileOperation.Kind}: dispatch then asks the hooks before it runs and
 * reports how it ended (see {@link FileAction}).
 *
 * @param operation the file operation the command performs, or null
 */
record CommandSpec(List<String> verbs, String syntax, Set<Flag> flags, Function<FtpSession, List<String>> features,
        FileOperation.Kind operation, Command handler) {

    /** When and how a command may be used. */
    enum Flag {
        /** Refused with 530 before login. */
        NEEDS_LOGIN,
        /** Refused with 501 without an argument. */
        NEEDS_ARGUMENT,
        /** Answered at once while a transfer runs (ABOR, STAT, NOOP); others wait for the transfer to end. */
        DURING_TRANSFER,
        /** Leaves the restart offset set for the next command (REST itself). */
        KEEPS_RESTART_OFFSET,
        /** Leaves the rename source set for the next command (RNFR itself). */
        KEEPS_RENAME_SOURCE,
        /** Its argument is a secret and never logged (PASS). */
        SENSITIVE_ARGUMENT,
        /** Changes files: refused with 550 for a read-only account, before anything else is looked at. */
        WRITES
    }

    CommandSpec {
        verbs = List.copyOf(verbs);
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(flags);
    }

    String name() {
        return verbs.get(0);
    }

    boolean has(Flag flag) {
        return flags.contains(flag);
    }

    /** The HELP line for one of its verbs: an alias says which command it stands for. */
    String syntaxOf(String verb) {
        return verb.equals(name()) ? syntax : syntax.replaceFirst("^" + name(), verb) + " (as " + name() + ")";
    }

    /** Starts a specification for a command and its aliases. */
    static Builder command(String... verbs) {
        return new Builder(List.of(verbs));
    }

    /** Builds {@link CommandSpec}s, one fluent line per command. */
    static final class Builder {
        private final List<String> verbs;
        private String syntax;
        private final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        private Function<FtpSession, List<String>> features = s -> List.of();
        private FileOperation.Kind operation;

        private Builder(List<String> verbs) {
            this.verbs = verbs;
            this.syntax = verbs.get(0);
        }

        /** The HELP text, starting with the verb, e.g. {@code RETR <path>}. */
        Builder syntax(String value) {
            syntax = value;
            return this;
        }

        Builder loggedIn() {
            flags.add(Flag.NEEDS_LOGIN);
            return this;
        }

        Builder withArgument() {
            flags.add(Flag.NEEDS_ARGUMENT);
            return this;
        }

        /** Changes files (implies a login). */
        Builder writes() {
            flags.add(Flag.NEEDS_LOGIN);
            flags.add(Flag.WRITES);
            return this;
        }

        /** The file operation this command performs: hooks are asked before it, and its end is reported. */
        Builder operation(FileOperation.Kind kind) {
            operation = kind;
            return this;
        }

        Builder duringTransfer() {
            flags.add(Flag.DURING_TRANSFER);
            return this;
        }

        Builder flag(Flag flag) {
            flags.add(flag);
            return this;
        }

        /** The FEAT lines (RFC 2389) this command stands for, for this session; none by default. */
        Builder features(Function<FtpSession, List<String>> lines) {
            features = lines;
            return this;
        }

        /** One FEAT line that is always offered. */
        Builder feature(String line) {
            return features(s -> List.of(line));
        }

        CommandSpec handledBy(Command handler) {
            return new CommandSpec(verbs, syntax, flags, features, operation, handler);
        }
    }
}
