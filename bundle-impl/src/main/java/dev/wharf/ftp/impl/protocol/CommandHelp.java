package dev.wharf.ftp.impl.protocol;

import java.util.Map;

/** The syntax of each command, for {@code HELP <command>}. */
final class CommandHelp {

    private static final Map<String, String> SYNTAX = Map.ofEntries(
            Map.entry("ABOR", "ABOR (abort the running transfer)"),
            Map.entry("ACCT", "ACCT <account> (not needed)"),
            Map.entry("ALLO", "ALLO <bytes> (not needed)"),
            Map.entry("APPE", "APPE <path> (append to a file)"),
            Map.entry("AUTH", "AUTH TLS|SSL (switch the control connection to TLS)"),
            Map.entry("AVBL", "AVBL [<directory>] (bytes available for storing)"),
            Map.entry("CDUP", "CDUP (go to the parent directory)"),
            Map.entry("CLNT", "CLNT <client name>"),
            Map.entry("CWD", "CWD <directory>"),
            Map.entry("DELE", "DELE <path>"),
            Map.entry("EPRT", "EPRT |<1|2>|<address>|<port>|"),
            Map.entry("EPSV", "EPSV [1|2|ALL]"),
            Map.entry("FEAT", "FEAT (list extensions)"),
            Map.entry("HASH", "HASH <path> (checksum with the OPTS HASH algorithm)"),
            Map.entry("HELP", "HELP [<command>]"),
            Map.entry("HOST", "HOST <host name> (before USER)"),
            Map.entry("LANG", "LANG [EN]"),
            Map.entry("LIST", "LIST [-options] [<path>]"),
            Map.entry("MDTM", "MDTM <path> (modification time, UTC)"),
            Map.entry("MFMT", "MFMT <YYYYMMDDHHMMSS> <path> (set modification time, UTC)"),
            Map.entry("MKD", "MKD <directory>"),
            Map.entry("MLSD", "MLSD [<directory>]"),
            Map.entry("MLST", "MLST [<path>]"),
            Map.entry("MODE", "MODE S"),
            Map.entry("NLST", "NLST [<path>]"),
            Map.entry("NOOP", "NOOP"),
            Map.entry("OPTS", "OPTS UTF8 ON|OFF, OPTS MLST <facts>, OPTS HASH <algorithm>"),
            Map.entry("PASS", "PASS <password>"),
            Map.entry("PASV", "PASV"),
            Map.entry("PBSZ", "PBSZ 0"),
            Map.entry("PORT", "PORT <h1,h2,h3,h4,p1,p2>"),
            Map.entry("PROT", "PROT C|P"),
            Map.entry("PWD", "PWD"),
            Map.entry("QUIT", "QUIT"),
            Map.entry("RANG", "RANG <start> <end> (byte range for the next HASH; RANG 1 0 resets)"),
            Map.entry("REIN", "REIN (log out, keep the connection)"),
            Map.entry("REST", "REST <offset> (TYPE I only)"),
            Map.entry("RETR", "RETR <path>"),
            Map.entry("RMD", "RMD <directory>"),
            Map.entry("RNFR", "RNFR <path> (then RNTO)"),
            Map.entry("RNTO", "RNTO <path>"),
            Map.entry("SITE", "SITE HELP, SITE CHMOD <octal mode> <path>"),
            Map.entry("SIZE", "SIZE <path>"),
            Map.entry("SMNT", "SMNT (not implemented)"),
            Map.entry("STAT", "STAT [<path>]"),
            Map.entry("STOR", "STOR <path>"),
            Map.entry("STOU", "STOU [<name>]"),
            Map.entry("STRU", "STRU F"),
            Map.entry("SYST", "SYST"),
            Map.entry("TYPE", "TYPE A|I|L 8"),
            Map.entry("USER", "USER <name>"),
            Map.entry("XCRC", "XCRC <path> [<start> <end>]"),
            Map.entry("XCUP", "XCUP (as CDUP)"),
            Map.entry("XCWD", "XCWD <directory> (as CWD)"),
            Map.entry("XMD5", "XMD5 <path> [<start> <end>]"),
            Map.entry("XMKD", "XMKD <directory> (as MKD)"),
            Map.entry("XPWD", "XPWD (as PWD)"),
            Map.entry("XRMD", "XRMD <directory> (as RMD)"),
            Map.entry("XSHA1", "XSHA1 <path> [<start> <end>]"),
            Map.entry("XSHA256", "XSHA256 <path> [<start> <end>]"));

    private CommandHelp() {
    }

    /** @return the syntax line, or null for a command without help */
    static String syntax(String verb) {
        return SYNTAX.get(verb);
    }
}
