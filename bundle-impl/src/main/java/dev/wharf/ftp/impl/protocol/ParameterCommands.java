package dev.wharf.ftp.impl.protocol;

import static dev.wharf.ftp.impl.protocol.CommandSpec.command;

import dev.wharf.ftp.impl.data.PendingData;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/** Transfer parameters (RFC 959 4.1.2, RFC 2428): TYPE, MODE, STRU, PASV, EPSV, PORT, EPRT, REST, ALLO. */
final class ParameterCommands {

    private static final Logger LOG = Logger.getLogger(ParameterCommands.class.getName());

    private ParameterCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(
                command("TYPE").syntax("TYPE A|I|L 8").loggedIn().withArgument().handledBy(ParameterCommands::type),
                command("MODE").syntax("MODE S").loggedIn().withArgument().handledBy(ParameterCommands::mode),
                command("STRU").syntax("STRU F").loggedIn().withArgument().handledBy(ParameterCommands::stru),
                command("PASV").loggedIn().feature("PASV").handledBy(ParameterCommands::pasv),
                command("EPSV").syntax("EPSV [1|2|ALL]").loggedIn().feature("EPSV").handledBy(ParameterCommands::epsv),
                command("PORT").syntax("PORT <h1,h2,h3,h4,p1,p2>").loggedIn().withArgument()
                        .handledBy(ParameterCommands::port),
                command("EPRT").syntax("EPRT |<1|2>|<address>|<port>|").loggedIn().withArgument()
                        .features(s -> s.host.settings().data().activeEnabled() ? List.of("EPRT") : List.of())
                        .handledBy(ParameterCommands::eprt),
                command("REST").syntax("REST <offset> (TYPE I only)").loggedIn().withArgument()
                        .flag(CommandSpec.Flag.KEEPS_RESTART_OFFSET).feature("REST STREAM")
                        .handledBy(ParameterCommands::rest),
                command("ALLO").syntax("ALLO <bytes> (not needed)").loggedIn()
                        .handledBy((s, a) -> s.reply(202, "No storage allocation necessary.")));
    }

    static void type(FtpSession s, String argument) throws IOException {
        String[] parts = argument.trim().toUpperCase(Locale.ROOT).split("\\s+");
        switch (parts[0]) {
            case "A" -> {
                if (parts.length > 1 && !parts[1].equals("N")) {
                    s.reply(504, "Only the Non-print format is supported for TYPE A.");
                    return;
                }
                s.parameters().typeAscii(true);
                s.reply(200, "Type set to A.");
            }
            case "I" -> {
                s.parameters().typeAscii(false);
                s.reply(200, "Type set to I.");
            }
            case "L" -> {
                if (parts.length > 1 && !parts[1].equals("8")) {
                    s.reply(504, "Only byte size 8 is supported for TYPE L.");
                    return;
                }
                s.parameters().typeAscii(false);
                s.reply(200, "Type set to L 8.");
            }
            case "E" -> s.reply(504, "TYPE E (EBCDIC) is not supported.");
            default -> s.reply(501, "Unknown type '" + argument.trim() + "'.");
        }
    }

    static void mode(FtpSession s, String argument) throws IOException {
        if (argument.trim().equalsIgnoreCase("S")) {
            s.reply(200, "Mode set to S.");
        } else {
            s.reply(504, "Only stream mode (MODE S) is supported.");
        }
    }

    static void stru(FtpSession s, String argument) throws IOException {
        if (argument.trim().equalsIgnoreCase("F")) {
            s.reply(200, "Structure set to F.");
        } else {
            s.reply(504, "Only file structure (STRU F) is supported.");
        }
    }

    static void pasv(FtpSession s, String argument) throws IOException {
        if (s.parameters().isEpsvOnly()) {
            s.reply(503, "After EPSV ALL only EPSV may open data connections.");
            return;
        }
        InetAddress announced = announcedAddress(s);
        if (!(announced instanceof Inet4Address)) {
            s.reply(522, "PASV works with IPv4 only; use EPSV (1,2).");
            return;
        }
        ServerSocketChannel server = bindPassive(s);
        if (server == null) {
            return;
        }
        int port = server.socket().getLocalPort();
        byte[] a = announced.getAddress();
        s.reply(227, String.format(Locale.ROOT, "Entering Passive Mode (%d,%d,%d,%d,%d,%d).",
                a[0] & 0xFF, a[1] & 0xFF, a[2] & 0xFF, a[3] & 0xFF, port >> 8, port & 0xFF));
    }

    static void epsv(FtpSession s, String argument) throws IOException {
        String arg = argument.trim();
        if (arg.equalsIgnoreCase("ALL")) {
            s.parameters().epsvOnly();
            s.reply(200, "EPSV ALL accepted: only EPSV from now on.");
            return;
        }
        if (!arg.isEmpty()) {
            int wanted = arg.equals("1") ? 1 : arg.equals("2") ? 2 : 0;
            if (wanted == 0) {
                s.reply(522, "Network protocol not supported, use (1,2).");
                return;
            }
            int actual = s.control.clientFacingAddress() instanceof Inet6Address ? 2 : 1;
            if (wanted != actual) {
                s.reply(522, "Network protocol not supported on this connection, use (" + actual + ").");
                return;
            }
        }
        ServerSocketChannel server = bindPassive(s);
        if (server != null) {
            s.reply(229, "Entering Extended Passive Mode (|||" + server.socket().getLocalPort() + "|).");
        }
    }

    private static ServerSocketChannel bindPassive(FtpSession s) throws IOException {
        ListenerSettings settings = s.host.settings();
        try {
            InetAddress bindTo = settings.data().passiveAddress() != null
                    ? InetAddress.getByName(settings.data().passiveAddress()) : s.control.localAddress();
            ServerSocketChannel server = s.host.passivePorts().bind(bindTo);
            s.replacePendingData(PendingData.passive(server, s.control.remoteAddress(), settings.data().ipCheck(),
                    settings.proxy(), settings.tls().handshakeTimeoutSeconds() * 1000));
            return server;
        } catch (IOException e) {
            LOG.warning("passive mode for " + s.clientAddress() + " failed: " + e.getMessage());
            s.reply(425, "Cannot open a passive data port: " + e.getMessage());
            return null;
        }
    }

    private static InetAddress announcedAddress(FtpSession s) throws UnknownHostException {
        String external = s.host.settings().data().passiveExternalAddress().forClient(s.control.remoteAddress());
        return external != null ? InetAddress.getByName(external) : s.control.clientFacingAddress();
    }

    static void port(FtpSession s, String argument) throws IOException {
        String[] parts = argument.trim().split(",");
        if (parts.length != 6) {
            s.reply(501, "PORT needs h1,h2,h3,h4,p1,p2.");
            return;
        }
        byte[] address = new byte[4];
        int port;
        try {
            for (int i = 0; i < 4; i++) {
                address[i] = (byte) octet(parts[i]);
            }
            port = octet(parts[4]) << 8 | octet(parts[5]);
        } catch (NumberFormatException e) {
            s.reply(501, "PORT needs six numbers from 0 to 255.");
            return;
        }
        active(s, new InetSocketAddress(InetAddress.getByAddress(address), port));
    }

    static void eprt(FtpSession s, String argument) throws IOException {
        String arg = argument.trim();
        if (arg.length() < 7) {
            s.reply(501, "EPRT needs |protocol|address|port|.");
            return;
        }
        String delimiter = arg.substring(0, 1);
        String[] parts = arg.split(java.util.regex.Pattern.quote(delimiter), -1);
        if (parts.length != 5 || !parts[0].isEmpty() || !parts[4].isEmpty()) {
            s.reply(501, "EPRT needs |protocol|address|port|.");
            return;
        }
        InetAddress address;
        int port;
        try {
            int protocol = Integer.parseInt(parts[1]);
            if (protocol != 1 && protocol != 2) {
                s.reply(522, "Network protocol not supported, use (1,2).");
                return;
            }
            if (!parts[2].matches("[0-9a-fA-F:.]+")) {
                throw new NumberFormatException(); // a literal address, never a name to look up
            }
            address = InetAddress.getByName(parts[2]);
            if ((protocol == 1) != (address instanceof Inet4Address)) {
                s.reply(501, "EPRT address does not match its protocol number.");
                return;
            }
            port = Integer.parseInt(parts[3]);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException | UnknownHostException e) {
            s.reply(501, "EPRT needs |protocol|address|port| with a literal address and a port number.");
            return;
        }
        active(s, new InetSocketAddress(address, port));
    }

    private static void active(FtpSession s, InetSocketAddress target) throws IOException {
        ListenerSettings settings = s.host.settings();
        if (!settings.data().activeEnabled()) {
            s.reply(502, "Active mode is disabled on this listener; use PASV or EPSV.");
            return;
        }
        if (s.parameters().isEpsvOnly()) {
            s.reply(503, "After EPSV ALL only EPSV may open data connections.");
            return;
        }
        if (settings.data().ipCheck() && !PendingData.sameHost(target.getAddress(), s.control.remoteAddress())) {
            LOG.warning("refused PORT/EPRT from " + s.clientAddress() + " to " + target
                    + ": data connections go only to the client's own address (data.ip.check)");
            s.reply(500, "Illegal PORT: data connections go only to your own address.");
            return;
        }
        if (target.getPort() < 1024) {
            s.reply(500, "Illegal PORT: privileged ports are not allowed.");
            return;
        }
        s.replacePendingData(PendingData.active(target, s.control.localAddress(), settings.data().activeLocalPort()));
        s.reply(200, "PORT command successful.");
    }

    private static int octet(String text) {
        int v = Integer.parseInt(text.trim());
        if (v < 0 || v > 255) {
            throw new NumberFormatException();
        }
        return v;
    }

    static void rest(FtpSession s, String argument) throws IOException {
        long offset;
        try {
            offset = Long.parseLong(argument.trim());
        } catch (NumberFormatException e) {
            s.reply(501, "REST needs a byte offset.");
            return;
        }
        if (offset < 0) {
            s.reply(501, "REST needs a non-negative byte offset.");
            return;
        }
        s.parameters().restartAt(offset);
        s.reply(350, "Restarting at " + offset + ". Send STOR, APPE or RETR to start the transfer.");
    }
}
