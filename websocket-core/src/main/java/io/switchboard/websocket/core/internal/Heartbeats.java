package io.switchboard.websocket.core.internal;

import io.netty.channel.EventLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pings every open connection once per heartbeat interval and closes those that have sent nothing,
 * not even a pong, for two intervals. One timer serves every connection: each tick runs once on each
 * event loop, over that loop's connections. With a timer per connection (ours and the runtime's
 * auto-ping), 10,000 idle connections woke the event loops about 800 times a second, which cost an
 * idle server 13 % of a core (docs/benchmarks.md).
 */
@Singleton
class Heartbeats {
    private static final long MAX_TICK_MILLIS = 1_000;
    private static final long MIN_TICK_MILLIS = 50;

    private final Map<EventLoop, Set<UserConnection>> connections = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final long intervalNanos;
    private final long tickMillis;
    private long timerId = -1;

    @Inject
    Heartbeats(Vertx vertx, WebSocketSettings settings) {
        this.vertx = vertx;
        long intervalMillis = settings.heartbeatInterval().toMillis();
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        // a tick well below the interval, so a ping is at most a quarter of an interval late
        this.tickMillis = Math.max(MIN_TICK_MILLIS, Math.min(MAX_TICK_MILLIS, intervalMillis / 4));
    }

    void start(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(tickMillis, id -> {
            long now = System.nanoTime();
            connections.forEach((loop, onLoop) -> {
                if (!onLoop.isEmpty()) {
                    loop.execute(() -> onLoop.forEach(connection -> connection.heartbeat(now, intervalNanos)));
                }
            });
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    void add(UserConnection connection) {
        connections
                .computeIfAbsent(connection.eventLoop(), loop -> ConcurrentHashMap.newKeySet())
                .add(connection);
    }

    void remove(UserConnection connection) {
        Set<UserConnection> onLoop = connections.get(connection.eventLoop());
        if (onLoop != null) {
            onLoop.remove(connection);
        }
    }
}
