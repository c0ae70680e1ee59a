package dev.wharf.examples.uploads;

import dev.wharf.ftp.api.hook.Decision;
import dev.wharf.ftp.api.hook.FileOperation;
import dev.wharf.ftp.api.hook.FtpHook;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Component;

/**
 * Refuses uploads that are programs, by their first bytes rather than their names: an ELF binary or a Windows
 * executable is discarded once it has arrived, before it replaces anything, and the client gets 553.
 *
 * <p>Registered as an {@link FtpHook} service; every listener asks it (a listener's {@code hooks.target}, or the
 * {@code wharf.listener} service property here, would narrow that down).
 */
@Component(service = FtpHook.class, property = "service.ranking:Integer=100")
public final class ExecutableUploadHook implements FtpHook {

    private static final Logger LOG = Logger.getLogger(ExecutableUploadHook.class.getName());

    @Override
    public Decision check(FileOperation operation) {
        if (operation.kind() != FileOperation.Kind.UPLOAD_COMPLETE || operation.uploadedFile().isEmpty()) {
            return Decision.allow();
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(operation.uploadedFile().get())) {
            head = in.readNBytes(4);
        } catch (IOException e) {
            // Throwing would also refuse the upload (with 451); saying why is kinder to the client.
            return Decision.deny(451, "The upload could not be checked; try again.");
        }
        if (isElf(head) || isWindowsExecutable(head)) {
            LOG.info(() -> "refused the executable " + operation.path() + " from " + operation.user().name());
            return Decision.deny(553, "Executables are not accepted here.");
        }
        return Decision.allow();
    }

    private static boolean isElf(byte[] h) {
        return h.length == 4 && h[0] == 0x7F && h[1] == 'E' && h[2] == 'L' && h[3] == 'F';
    }

    private static boolean isWindowsExecutable(byte[] h) {
        return h.length >= 2 && h[0] == 'M' && h[1] == 'Z';
    }
}
