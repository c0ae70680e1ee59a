package dev.wharf.ftp.impl.protocol;

import static dev.wharf.ftp.impl.protocol.CommandSpec.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Information and no-ops: SYST, FEAT, OPTS, HELP, NOOP, STAT. */
final class InfoCommands {

    private InfoCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(
                command("SYST").handledBy((s, a) -> s.reply(215, "UNIX Type: L8")),
                command("FEAT").syntax("FEAT (list extensions)").handledBy(InfoCommands::feat),
                command("OPTS").syntax("OPTS UTF8 ON|OFF, OPTS MLST <facts>, OPTS HASH <algorithm>").feature("UTF8")
                        .handledBy(InfoCommands::opts),
                command("HELP").syntax("HELP [<command>]").handledBy(InfoCommands::help),
                command("NOOP").duringTransfer().handledBy((s, a) -> s.reply(200, "NOOP ok.")),
                command("STAT").syntax("STAT [<path>]").loggedIn().duringTransfer().handledBy(InfoCommands::stat),
                command("LANG").syntax("LANG [EN]").feature("LANG EN*").handledBy(InfoCommands::lang),
                command("CLNT").syntax("CLNT <client name>").handledBy((s, a) -> {
                    s.clientName(a.trim());
                    s.reply(200, "Noted.");
                }));
    }

    /** RFC 2389: exactly the extensions this listener supports right now, as the commands' specifications say. */
    static void feat(FtpSession s, String argument) throws IOException {
        s.replyLines(211, "Extensions supported:", s.host.commands().features(s), "End");
    }

    static void opts(FtpSession s, String argument) throws IOException {
        String[] parts = argument.trim().split("\\s+", 2);
        String option = parts[0].toUpperCase(Locale.ROOT);
        if (option.equals("UTF8") || option.equals("UTF-8")) {
            String value = parts.length > 1 ? parts[1].trim().toUpperCase(Locale.ROOT) : "ON";
            if (value.equals("ON")) {
                s.reply(200, "UTF8 mode is always on.");
            } else if (value.equals("OFF")) {
                // Names are sent as UTF-8 in any case; ASCII names are unaffected either way.
                s.reply(200, "UTF8 mode stays on: names are always UTF-8.");
            } else {
                s.reply(501, "OPTS UTF8 takes ON or OFF.");
            }
            return;
        }
        String value = parts.length > 1 ? parts[1].trim() : "";
        switch (option) {
            case "MLST" -> MetadataCommands.optsMlst(s, value);
            case "HASH" -> DigestCommands.optsHash(s, value);
            default -> s.reply(501, "Option '" + option + "' not understood.");
        }
    }

    static void help(FtpSession s, String argument) throws IOException {
        String topic = argument.trim().toUpperCase(Locale.ROOT);
        if (!topic.isEmpty()) {
            CommandSpec command = s.host.commands().find(topic);
            if (command != null) {
                s.reply(214, "Syntax: " + command.syntaxOf(topic));
            } else {
                s.reply(502, "Unknown command " + topic + ".");
            }
            return;
        }
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String verb : s.host.commands().verbs()) {
            if (line.length() + verb.length() > 60) {
                lines.add(line.toString().trim());
                line.setLength(0);
            }
            line.append(verb).append(' ');
        }
        if (line.length() > 0) {
            lines.add(line.toString().trim());
        }
        s.replyLines(214, "The following commands are recognized:", lines, "Help OK.");
    }

    /** RFC 2640: replies are only in English, so that is the one language offered. */
    static void lang(FtpSession s, String argument) throws IOException {
        String tag = argument.trim().toUpperCase(Locale.ROOT);
        if (tag.isEmpty() || tag.equals("EN") || tag.startsWith("EN-")) {
            s.reply(200, "Language set to EN.");
        } else {
            s.reply(504, "Only EN is available.");
        }
    }

    static void stat(FtpSession s, String argument) throws IOException {
        if (!argument.isBlank() && !s.transferRunning()) {
            TransferCommands.statListing(s, argument);
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("Connected from " + s.clientAddress() + (s.clientName() != null ? " (" + s.clientName() + ")" : ""));
        lines.add("Logged in as " + s.user().name());
        lines.add("TYPE: " + (s.parameters().ascii() ? "ASCII" : "BINARY") + ", STRUcture: File, MODE: Stream");
        lines.add("Control connection: " + (s.control.secure() ? "TLS (" + s.control.tlsSession().getProtocol() + ")"
                : "clear") + "; data connections: " + (s.protection().protectsData() ? "protected" : "clear"));
        lines.add(s.transferRunning() ? "A transfer is in progress." : "No transfer in progress.");
        s.replyLines(211, "Wharf FTP server status:", lines, "End of status.");
    }
}
