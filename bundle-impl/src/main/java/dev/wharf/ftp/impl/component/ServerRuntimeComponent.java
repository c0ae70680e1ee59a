package dev.wharf.ftp.impl.component;

import dev.wharf.ftp.impl.net.ServerRuntime;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Owns the {@link ServerRuntime} of this bundle: its threads start when the bundle's components activate and end
 * when they deactivate (bundle stop, update or refresh), after every listener has stopped. Listeners reference it;
 * the service is only meant for this bundle (its type is in a private package).
 */
@Component(service = ServerRuntimeComponent.class, immediate = true)
public class ServerRuntimeComponent {

    private final ServerRuntime runtime;

    @Activate
    public ServerRuntimeComponent() {
        this.runtime = new ServerRuntime();
    }

    ServerRuntime runtime() {
        return runtime;
    }

    @Deactivate
    void deactivate() {
        runtime.close();
    }
}
