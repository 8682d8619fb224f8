package io.switchboard.websocket.core.internal;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * On shutdown, while the sockets are still open: every connection receives the events still waiting
 * for it (consumers with a lower priority, such as the agent module, have ended their runs by now),
 * then a close with 1001. Waits for the clients to close, at most the shutdown timeout.
 */
@Singleton
final class GracefulShutdown {
    /** Observers that must emit final events run before this priority. */
    static final int PRIORITY = 5000;

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    private final ManagerRegistry registry;
    private final SocketRoute sockets;
    private final WebSocketSettings settings;

    @Inject
    GracefulShutdown(ManagerRegistry registry, SocketRoute sockets, WebSocketSettings settings) {
        this.registry = registry;
        this.sockets = sockets;
        this.settings = settings;
    }

    void onShutdown(@Observes @Priority(PRIORITY) ShutdownDelayInitiatedEvent event) throws InterruptedException {
        int open = registry.connectionCount();
        LOG.infof("shutting down: closing %d connections with 1001", open);
        registry.finishAll("server shutting down");
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        while (sockets.openSockets() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        long left = sockets.openSockets();
        if (left > 0) {
            LOG.warnf(
                    "shutting down: %d connections did not close within %d ms",
                    left, settings.shutdownTimeout().toMillis());
        }
    }
}
