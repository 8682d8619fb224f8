package io.switchboard.websocket.core.internal;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Evicts idle managers periodically, so that memory is bounded by the users active lately. */
@Singleton
final class IdleManagerSweeper {
    private static final Logger LOG = Logger.getLogger(IdleManagerSweeper.class);
    private static final long MIN_PERIOD_MILLIS = 1_000;
    private static final long MAX_PERIOD_MILLIS = 60_000;

    private final ManagerRegistry registry;
    private final WebSocketSettings settings;
    private final Vertx vertx;
    private long timerId = -1;

    @Inject
    IdleManagerSweeper(ManagerRegistry registry, WebSocketSettings settings, Vertx vertx) {
        this.registry = registry;
        this.settings = settings;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        long period = Math.max(
                MIN_PERIOD_MILLIS,
                Math.min(MAX_PERIOD_MILLIS, settings.retention().idleTtl().toMillis() / 10));
        timerId = vertx.setPeriodic(period, id -> {
            int evicted = registry.evictIdle(System.nanoTime());
            if (evicted > 0) {
                LOG.debugf("evicted %d idle managers", evicted);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }
}
