package io.switchboard.websocket.core.internal;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Pings every open connection once per heartbeat interval and closes those that have sent nothing,
 * not even a pong, for two intervals. One periodic timer per event loop serves every connection on
 * that loop, and runs on it, so no connection needs a timer or a lock of its own. With a timer per
 * connection, 10,000 idle connections woke the event loops about 800 times a second, which cost an
 * idle server 8.4 % of a core against 3.8 % with one timer per loop (docs/benchmarks.md).
 *
 * <p>A connection's first ping comes at a random point of its first interval. Tabs that open together
 * (a deploy, a reconnect storm, a load test) were otherwise all pinged in the same tick, every
 * interval: 4,000 pings and their pongs in one go held up the loop's deliveries for tens of
 * milliseconds.
 */
@Singleton
class Heartbeats {
    private static final long MAX_TICK_MILLIS = 1_000;
    private static final long MIN_TICK_MILLIS = 50;

    /** Each event loop's thread, to its connections and its timer; a loop's set is used on that loop only. */
    private final Map<Thread, Loop> loops = new ConcurrentHashMap<>();

    private final Vertx vertx;
    private final long intervalNanos;
    private final long tickMillis;

    private static final class Loop {
        final Set<UserConnection> connections = new HashSet<>();
        long timerId;
    }

    @Inject
    Heartbeats(Vertx vertx, WebSocketSettings settings) {
        this.vertx = vertx;
        long intervalMillis = settings.heartbeatInterval().toMillis();
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        // a tick well below the interval, so a ping is at most a quarter of an interval late
        this.tickMillis = Math.max(MIN_TICK_MILLIS, Math.min(MAX_TICK_MILLIS, intervalMillis / 4));
    }

    void stop(@Observes ShutdownEvent event) {
        loops.values().forEach(loop -> vertx.cancelTimer(loop.timerId));
    }

    /** Watches a connection; called on its event loop, whose timer starts with its first connection. */
    void add(UserConnection connection) {
        Loop loop = loops.computeIfAbsent(Thread.currentThread(), thread -> {
            Loop created = new Loop();
            // a periodic timer set on an event loop fires on that loop
            created.timerId = vertx.setPeriodic(tickMillis, id -> tick(created));
            return created;
        });
        connection.lastPingAt(System.nanoTime() - ThreadLocalRandom.current().nextLong(Math.max(1, intervalNanos)));
        loop.connections.add(connection);
    }

    /** Stops watching a connection; called on its event loop. */
    void remove(UserConnection connection) {
        Loop loop = loops.get(Thread.currentThread());
        if (loop != null) {
            loop.connections.remove(connection);
        }
    }

    private void tick(Loop loop) {
        long now = System.nanoTime();
        // terminate() removes a connection later, on this loop, so iterating here is safe
        for (UserConnection connection : loop.connections) {
            connection.heartbeat(now, intervalNanos);
        }
    }
}
