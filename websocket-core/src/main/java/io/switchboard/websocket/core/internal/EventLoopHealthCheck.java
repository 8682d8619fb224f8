package io.switchboard.websocket.core.internal;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness check {@code websocket-event-loop}: a timer on the event loops must keep firing; when it
 * has not for ten seconds, the loops are stuck and every connection with them.
 */
@Liveness
@Singleton
final class EventLoopHealthCheck implements HealthCheck {
    private static final long TICK_MILLIS = 1_000;
    private static final long STUCK_MILLIS = 10_000;

    private final Vertx vertx;
    private volatile long lastTickNanos = System.nanoTime();
    private long timer = -1;

    @Inject
    EventLoopHealthCheck(Vertx vertx) {
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(TICK_MILLIS, id -> lastTickNanos = System.nanoTime());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    @Override
    public HealthCheckResponse call() {
        long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastTickNanos);
        return HealthCheckResponse.named("websocket-event-loop")
                .status(silentMillis < STUCK_MILLIS)
                .withData("ms_since_last_tick", silentMillis)
                .build();
    }
}
