package dev.wharf.ftp.impl.net;

import org.apache.commons.net.ftp.FTPClient;
import org.junit.After;
import org.junit.Rule;

/** Tests with one server per test and one Commons Net client, disconnected after each test. */
public abstract class SessionTest<C extends FTPClient> {

    @Rule
    public final TestServer server = createServer();

    protected C client;

    /** The server the tests run against; override for other listener settings. */
    protected TestServer createServer() {
        return new TestServer();
    }

    @After
    public void closeClient() {
        if (client != null) {
            Clients.close(client);
        }
    }
}
