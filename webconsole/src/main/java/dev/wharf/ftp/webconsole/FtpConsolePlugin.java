package dev.wharf.ftp.webconsole;

import dev.wharf.ftp.api.FtpListener;
import dev.wharf.ftp.api.SslConfiguration;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The Web Console's "FTP" page ({@code /system/console/ftp}), a plugin servlet beside the configuration forms: the
 * console draws its frame and checks the login; this servlet writes the page ({@link FtpPage}) and takes the kick
 * button's POST. A kick must carry the token the page was rendered with, so that another site cannot make an
 * operator's browser end sessions.
 */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=ftp",
    "felix.webconsole.title=FTP",
    "felix.webconsole.category=Wharf"})
public class FtpConsolePlugin extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(FtpConsolePlugin.class.getName());

    private final transient List<FtpListener> listeners = new CopyOnWriteArrayList<>();
    private final transient List<SslConfiguration> tls = new CopyOnWriteArrayList<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String kickToken = newToken();

    private static String newToken() {
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(FtpListener listener) {
        listeners.add(listener);
    }

    void removeListener(FtpListener listener) {
        listeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSslConfiguration(SslConfiguration configuration) {
        tls.add(configuration);
    }

    void removeSslConfiguration(SslConfiguration configuration) {
        tls.remove(configuration);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(FtpPage.render(new ArrayList<>(listeners), new ArrayList<>(tls), kickToken,
                request.getParameter("message"), Instant.now()));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String token = request.getParameter("token");
        if (!"kick".equals(request.getParameter("action")) || token == null
                || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                        kickToken.getBytes(StandardCharsets.UTF_8))) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Reload the FTP page and use its kick buttons.");
            return;
        }
        String session = request.getParameter("session");
        String message = "No open session " + session + ".";
        for (FtpListener l : listeners) {
            if (session != null && l.endSession(session)) {
                message = "Ended session " + session + " on listener " + l.name() + ".";
                LOG.info("Web Console user " + request.getRemoteUser() + " ended FTP session " + session);
                break;
            }
        }
        // Post/Redirect/Get: a reload of the page does not kick again
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getRequestURI() + "?message="
                + URLEncoder.encode(message, StandardCharsets.UTF_8));
    }
}
