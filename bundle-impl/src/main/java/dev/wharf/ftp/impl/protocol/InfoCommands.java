package dev.wharf.ftp.impl.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Information and no-ops: SYST, FEAT, OPTS, HELP, NOOP, STAT. */
final class InfoCommands {

    private InfoCommands() {
    }

    static void register() {
        CommandTable.open("SYST", (s, a) -> s.reply(215, "UNIX Type: L8"));
        CommandTable.open("FEAT", InfoCommands::feat);
        CommandTable.open("OPTS", InfoCommands::opts);
        CommandTable.open("HELP", InfoCommands::help);
        CommandTable.immediate("NOOP", (s, a) -> s.reply(200, "NOOP ok."), false);
        CommandTable.immediate("STAT", InfoCommands::stat, true);
        CommandTable.open("LANG", InfoCommands::lang);
        CommandTable.open("CLNT", (s, a) -> {
            s.clientName = a.trim();
            s.reply(200, "Noted.");
        });
    }

    /** RFC 2389: exactly the extensions this listener supports right now. */
    static void feat(FtpSession s, String argument) throws IOException {
        List<String> features = new ArrayList<>();
        boolean tls = s.controlTls != null;
        if (tls && !s.host.settings().tls().implicitSsl()) {
            features.add("AUTH TLS");
            features.add("AUTH SSL");
        }
        if (tls) {
            features.add("PBSZ");
            features.add("PROT");
        }
        if (s.host.settings().data().activeEnabled()) {
            features.add("EPRT");
        }
        features.add("EPSV");
        features.add("HOST");
        features.add(DigestCommands.featLine(s.hashAlgorithm));
        features.add("LANG EN*");
        features.add("MDTM");
        features.add("MFMT");
        features.add(dev.wharf.ftp.impl.fs.MlsxFacts.featLine(s.mlstFacts));
        features.add("PASV");
        features.add("REST STREAM");
        features.add("SIZE");
        features.add("TVFS");
        features.add("UTF8");
        s.replyLines(211, "Extensions supported:", features, "End");
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
            if (CommandTable.has(topic)) {
                String syntax = CommandHelp.syntax(topic);
                s.reply(214, "Syntax: " + (syntax != null ? syntax : topic));
            } else {
                s.reply(502, "Unknown command " + topic + ".");
            }
            return;
        }
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String verb : new TreeSet<>(CommandTable.verbs())) {
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
        lines.add("Connected from " + s.clientAddress() + (s.clientName != null ? " (" + s.clientName + ")" : ""));
        lines.add("Logged in as " + s.user.name());
        lines.add("TYPE: " + (s.ascii ? "ASCII" : "BINARY") + ", STRUcture: File, MODE: Stream");
        lines.add("Control connection: " + (s.control.secure() ? "TLS (" + s.control.tlsSession().getProtocol() + ")"
                : "clear") + "; data connections: " + (s.protectData ? "protected" : "clear"));
        lines.add(s.transferRunning() ? "A transfer is in progress." : "No transfer in progress.");
        s.replyLines(211, "Wharf FTP server status:", lines, "End of status.");
    }
}
