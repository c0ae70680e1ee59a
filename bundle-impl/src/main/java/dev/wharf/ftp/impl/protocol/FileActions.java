package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.event.FtpEvents;
import dev.wharf.ftp.api.hook.Decision;
import dev.wharf.ftp.api.hook.FileOperation;
import java.io.IOException;

/**
 * The file operation of the command a session runs: asked about by the listener's hooks before the command runs,
 * then either handed to the transfer the command starts (which reports it when it ends) or reported here when the
 * command ends with its reply.
 */
final class FileActions {

    /** A command's work, which may fail on the control connection. */
    @FunctionalInterface
    interface Work {
        void run() throws IOException;
    }

    /** A one-line reply as sent. */
    private record Reply(int code, String text) {
    }

    private final FtpSession session;
    /** The file operation of the command running now, until a transfer takes it over. */
    private FileAction pending;
    /** The last one-line reply sent, for the report of a file operation that ended without a transfer. */
    private volatile Reply lastReply = new Reply(0, "");

    FileActions(FtpSession session) {
        this.session = session;
    }

    /** Called for every one-line reply the session sends. */
    void replied(int code, String text) {
        lastReply = new Reply(code, text);
    }

    /**
     * A read-only account (anonymous) may still add files to a drop box. Decided here on the path as typed, for a
     * clear reply; the file system's access rules check again where the file really lands.
     */
    boolean uploadIntoDropBox(FileAction action) {
        if (action == null || action.kind() != FileOperation.Kind.UPLOAD) {
            return false;
        }
        String path = action.path();
        return session.files().rules().isDropBox(path.substring(0, Math.max(1, path.lastIndexOf('/'))));
    }

    /** Asks the listener's hooks; a denial is replied and reported here. */
    boolean allowedByHooks(FileAction action) throws IOException {
        if (!action.checkable() || !session.host.hooks().any()) {
            return true;
        }
        Decision d = session.host.hooks().check(action);
        if (d.isAllowed()) {
            return true;
        }
        session.reply(d.replyCode() != 0 ? d.replyCode() : 550, d.message());
        reportEnd(action);
        return false;
    }

    /** Runs the command's work for the action (null: none); reports the action if no transfer took it over. */
    void run(FileAction action, Work work) throws IOException {
        pending = action;
        try {
            work.run();
            if (action != null && pending == action) { // it ended with the reply
                reportEnd(action);
            }
        } finally {
            pending = null;
        }
    }

    /** The file operation of the running command, for the transfer it starts and the upload's last hook. */
    FileAction pending() {
        return pending;
    }

    /** Hands the running command's file operation to the transfer it starts, which then reports it. */
    FileAction takeForTransfer() {
        FileAction action = pending;
        pending = null;
        return action;
    }

    /**
     * Reports a file operation that ended with the last reply, without a transfer. No other reply can have come
     * in between: a file command runs only while no transfer does.
     */
    private void reportEnd(FileAction action) {
        Reply last = lastReply;
        String result = last.code() >= 400 ? FtpEvents.RESULT_FAILED : FtpEvents.RESULT_COMPLETED;
        // No transfer properties (bytes, type): nothing went over a data connection, and the xferlog skips it.
        session.host.activities().report(action.topic(result), () -> action.report(result, last.code(),
                last.text()).build());
    }
}
