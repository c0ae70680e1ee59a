package dev.wharf.ftp.impl.protocol;

import java.io.IOException;

/** One FTP command's handler. */
@FunctionalInterface
interface Command {
    void execute(FtpSession session, String argument) throws IOException;
}
