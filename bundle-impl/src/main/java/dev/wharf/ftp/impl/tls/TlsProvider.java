package dev.wharf.ftp.impl.tls;

import java.security.Provider;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * The one BouncyCastle JSSE provider instance Wharf uses. It is held here, never installed with
 * {@code Security.addProvider}, and built with its default constructor so that its symmetric crypto comes
 * from the JDK's JCA providers (SunJCE's AES-GCM uses AES-NI; BouncyCastle's own AES is pure Java and costs
 * about ten times the CPU per byte).
 */
public final class TlsProvider {

    /**
     * BCJSSE reports through java.util.logging at INFO what the JDK's JSSE keeps quiet (security properties it
     * reads, entries it ignores). Held here so the level sticks: JUL keeps loggers only weakly.
     */
    private static final Logger BC_LOG = quiet(Logger.getLogger("org.bouncycastle.jsse"));
    /**
     * BCJSSE reports a connection that ends mid-handshake (the client went away, or the stall watchdog closed it)
     * as an internal_error WARNING with a stack trace. That is bad input, not a server fault, and Wharf logs its
     * own line for it, so such records go to FINE; every other warning passes.
     */
    private static final Logger BC_SERVER_LOG = withFilter(
            Logger.getLogger("org.bouncycastle.jsse.provider.ProvTlsServer"), TlsProvider::demoteTransportFailure);
    private static final Provider JSSE = new BouncyCastleJsseProvider(false, new JdkTlsCrypto());

    private static Logger quiet(Logger logger) {
        if (logger.getLevel() == null) { // an explicit setting (e.g. in logging.properties) wins
            logger.setLevel(Level.WARNING);
        }
        return logger;
    }

    private static Logger withFilter(Logger logger, Filter filter) {
        logger.setFilter(filter);
        return logger;
    }

    private static boolean demoteTransportFailure(LogRecord record) {
        if (record.getLevel().intValue() < Level.WARNING.intValue() || !HandshakeFailures.endedByTransport(record.getThrown())) {
            return true;
        }
        record.setLevel(Level.FINE);
        return BC_SERVER_LOG.isLoggable(Level.FINE);
    }

    private TlsProvider() {
    }

    public static Provider jsse() {
        return JSSE;
    }
}
