package bench;

import java.io.File;
import java.util.List;

import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.TransferRatePermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;

/**
 * Apache FtpServer 1.2.1 embedded as the benchmark's Java peer: one explicit-FTPS listener on loopback (plain FTP
 * allowed too, TLS on request with AUTH TLS), passive ports, TLSv1.2 + TLSv1.3 from a PKCS12 keystore, one user
 * with write permission and no concurrent-login limit.
 *
 * <pre>ApacheFtpServerMain port passiveRange keystore.p12 keystorePassword userFile user password home</pre>
 *
 * Runs until the JVM is stopped (SIGTERM).
 */
public final class ApacheFtpServerMain {
    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            System.err.println("usage: ApacheFtpServerMain port passiveRange keystore password userFile user pass home");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String passive = args[1];
        File keystore = new File(args[2]);
        String keystorePassword = args[3];
        File userFile = new File(args[4]);
        String user = args[5];
        String password = args[6];
        String home = args[7];

        SslConfigurationFactory ssl = new SslConfigurationFactory();
        ssl.setKeystoreFile(keystore);
        ssl.setKeystorePassword(keystorePassword);
        ssl.setKeystoreType("PKCS12");
        ssl.setSslProtocol("TLSv1.2", "TLSv1.3");
        SslConfiguration sslConfiguration = ssl.createSslConfiguration();

        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassivePorts(passive);
        data.setPassiveAddress("127.0.0.1");
        data.setSslConfiguration(sslConfiguration);

        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(port);
        listener.setImplicitSsl(false);
        listener.setSslConfiguration(sslConfiguration);
        listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        listener.setIdleTimeout(1800);

        ConnectionConfigFactory connections = new ConnectionConfigFactory();
        connections.setMaxLogins(20000); // default 10 would cap the session workloads
        connections.setAnonymousLoginEnabled(false);
        connections.setMaxLoginFailures(0);
        connections.setLoginFailureDelay(0);

        PropertiesUserManagerFactory users = new PropertiesUserManagerFactory();
        userFile.delete();
        userFile.createNewFile();
        users.setFile(userFile); // default password encryptor of the factory (salted hash)
        UserManager userManager = users.createUserManager();
        BaseUser u = new BaseUser();
        u.setName(user);
        u.setPassword(password);
        u.setHomeDirectory(home);
        u.setEnabled(true);
        u.setMaxIdleTime(0);
        List<Authority> authorities = List.of(new WritePermission(), new ConcurrentLoginPermission(0, 0),
                new TransferRatePermission(0, 0));
        u.setAuthorities(authorities);
        userManager.save(u);

        FtpServerFactory factory = new FtpServerFactory();
        factory.addListener("default", listener.createListener());
        factory.setConnectionConfig(connections.createConnectionConfig());
        factory.setUserManager(userManager);
        FtpServer server = factory.createServer();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        System.out.println("apache-ftpserver 1.2.1 listening on 127.0.0.1:" + port);
        Thread.currentThread().join();
    }
}
