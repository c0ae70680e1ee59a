package dev.wharf.examples.uploads;

import dev.wharf.ftp.api.event.FtpEvents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Reacts to every completed upload: writes {@code <file>.sha256} beside it, in the format {@code sha256sum -c}
 * reads, for the system that picks the file up. Runs on EventAdmin's thread, after the client got its 226: the
 * upload never waits for it.
 */
@Component(service = EventHandler.class, property = EventConstants.EVENT_TOPIC + "=" + FtpEvents.UPLOAD_COMPLETED)
public final class UploadChecksumHandler implements EventHandler {

    private static final Logger LOG = Logger.getLogger(UploadChecksumHandler.class.getName());

    @Override
    public void handleEvent(Event event) {
        Object realPath = event.getProperty(FtpEvents.REAL_PATH);
        if (realPath == null || String.valueOf(realPath).endsWith(".sha256")) {
            return;
        }
        Path file = Path.of(realPath.toString());
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            String line = HexFormat.of().formatHex(sha256.digest()) + "  " + file.getFileName() + "\n";
            Files.writeString(file.resolveSibling(file.getFileName() + ".sha256"), line, StandardCharsets.UTF_8);
        } catch (IOException | NoSuchAlgorithmException e) {
            LOG.log(Level.WARNING, "no checksum for " + file + " (uploaded by " + event.getProperty(FtpEvents.USER)
                    + ")", e);
        }
    }
}
