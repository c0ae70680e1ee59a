package dev.wharf.ftp.impl.protocol;

import static dev.wharf.ftp.impl.protocol.CommandSpec.command;

import dev.wharf.ftp.api.TlsRequirement;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** RFC 2228 / RFC 4217: AUTH, PBSZ, PROT. */
final class SecurityCommands {

    private SecurityCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(
                command("AUTH").syntax("AUTH TLS|SSL (switch the control connection to TLS)")
                        .features(s -> s.controlTls != null && !s.host.settings().tls().implicitSsl()
                                ? List.of("AUTH TLS", "AUTH SSL") : List.of())
                        .handledBy(SecurityCommands::auth),
                command("PBSZ").syntax("PBSZ 0").features(s -> s.controlTls != null ? List.of("PBSZ") : List.of())
                        .handledBy(SecurityCommands::pbsz),
                command("PROT").syntax("PROT C|P").features(s -> s.controlTls != null ? List.of("PROT") : List.of())
                        .handledBy(SecurityCommands::prot));
    }

    static void auth(FtpSession s, String argument) throws IOException {
        String mechanism = argument.trim().toUpperCase(Locale.ROOT);
        if (s.control.secure()) {
            s.reply(503, "The control connection is already protected by TLS.");
            return;
        }
        if (s.controlTls == null) {
            s.reply(502, "TLS is not available on this listener.");
            return;
        }
        boolean impliesProtP;
        switch (mechanism) {
            case "TLS", "TLS-C" -> impliesProtP = false;
            // Pre-RFC 4217 clients: AUTH SSL and TLS-P also protect data connections.
            case "SSL", "TLS-P" -> impliesProtP = true;
            default -> {
                s.reply(504, "Security mechanism '" + mechanism + "' not understood; use AUTH TLS.");
                return;
            }
        }
        s.reply(234, "AUTH " + mechanism + " OK: starting TLS.");
        try {
            s.startTls();
        } catch (IOException e) {
            s.end(null); // the client expected TLS; nothing sensible can follow in the clear
            throw e;
        }
        s.login().forgetName(); // RFC 4217 section 4: a new security state restarts login
        s.protection().tlsStarted(impliesProtP);
    }

    static void pbsz(FtpSession s, String argument) throws IOException {
        if (!s.control.secure()) {
            s.reply(503, "PBSZ needs a protected control connection: send AUTH TLS first.");
            return;
        }
        try {
            if (Long.parseLong(argument.trim()) < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            s.reply(501, "PBSZ needs a buffer size (a non-negative number).");
            return;
        }
        s.protection().pbszGiven();
        s.reply(200, "PBSZ=0");
    }

    static void prot(FtpSession s, String argument) throws IOException {
        if (!s.control.secure()) {
            s.reply(503, "PROT needs a protected control connection: send AUTH TLS first.");
            return;
        }
        String level = argument.trim().toUpperCase(Locale.ROOT);
        Protection protection = s.protection();
        // RFC 4217 wants PBSZ first. PROT C only confirms the unprotected default, and Python's ftplib sends
        // it without PBSZ, so only a raise in protection insists on the order.
        if (!protection.pbszDone() && !level.equals("C")) {
            s.reply(503, "Send PBSZ before PROT.");
            return;
        }
        switch (level) {
            case "C" -> {
                if (s.tlsRequirement() == TlsRequirement.ALL) {
                    s.reply(534, "Clear data connections are not allowed on this listener; use PROT P.");
                    return;
                }
                if (protection.dataAlwaysProtected()) {
                    s.reply(534, "Data connections on this listener are always protected.");
                    return;
                }
                protection.protectData(false);
                s.reply(200, "Data channel protection level set to Clear.");
            }
            case "P" -> {
                protection.protectData(true);
                s.reply(200, "Data channel protection level set to Private.");
            }
            case "S", "E" -> s.reply(536, "Only PROT C and PROT P are supported.");
            default -> s.reply(504, "Unknown protection level; use C or P.");
        }
    }
}
