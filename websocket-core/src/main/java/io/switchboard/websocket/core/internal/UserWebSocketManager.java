package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.ConnectionEstablished;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.core.WebSocketManager;
import io.switchboard.websocket.core.UserConnections;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The one implementation of {@link WebSocketManager}. Appending to the log and handing the frame
 * to every connection happen under one lock, so each connection receives the user's events in
 * {@code event_id} order, and a connection that attaches sees {@code connection_established} before
 * any event after the id it announces.
 *
 * <p>A manager idle for long enough is retired by the registry, with its log. Whoever still holds a
 * retired manager cannot use it as a second live one: its events go to the user's live manager, and
 * the registry counts the refusal.
 */
public final class UserWebSocketManager implements WebSocketManager {
    private static final long RESERVATION_LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String userId;
    private final EventLog log;
    private final int maxConnections;
    private final ManagerRegistry registry;
    private final List<OutboundConnection> connections = new ArrayList<>();
    private final List<SlotReservation> reservations = new ArrayList<>();
    private long lastActivityNanos = System.nanoTime();
    private boolean retired;

    UserWebSocketManager(String userId, EventLog log, int maxConnections, ManagerRegistry registry) {
        this.userId = userId;
        this.log = log;
        this.maxConnections = maxConnections;
        this.registry = registry;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public Event emit(EventPayload payload) {
        Objects.requireNonNull(payload, "payload");
        synchronized (this) {
            if (!retired) {
                lastActivityNanos = System.nanoTime();
                Event event = log.append(payload);
                String json = FrameCodec.encode(event);
                for (OutboundConnection connection : connections) {
                    connection.send(json);
                }
                return event;
            }
        }
        return registry.refuseRetired(this).emit(payload);
    }

    @Override
    public synchronized int connectionCount() {
        return connections.size();
    }

    @Override
    public synchronized long lastEventId() {
        return log.newestId();
    }

    @Override
    public synchronized String epoch() {
        return log.epoch();
    }

    synchronized UserConnections snapshot() {
        return new UserConnections(userId, connections.size(), log.newestId(), log.epoch());
    }

    /**
     * Retires this manager if it has had no connection, no pending upgrade and no event for
     * {@code idleNanos}; a retired manager never delivers again.
     */
    synchronized boolean retireIfIdle(long nowNanos, long idleNanos) {
        if (connections.isEmpty() && reservations.isEmpty() && nowNanos - lastActivityNanos >= idleNanos) {
            retired = true;
        }
        return retired;
    }

    synchronized boolean retired() {
        return retired;
    }

    /** Takes a connection slot, or returns {@code null} when the user holds the most allowed. */
    synchronized SlotReservation reserveSlot(long nowNanos) {
        if (retired) {
            return registry.refuseRetired(this).reserveSlot(nowNanos);
        }
        lastActivityNanos = nowNanos;
        reservations.removeIf(r -> r.lapsed(nowNanos, RESERVATION_LIFETIME_NANOS));
        if (connections.size() + reservations.size() >= maxConnections) {
            return null;
        }
        SlotReservation reservation = new SlotReservation(nowNanos);
        reservations.add(reservation);
        return reservation;
    }

    /** Gives back a slot whose upgrade did not lead to a connection. */
    synchronized void releaseSlot(SlotReservation reservation) {
        reservations.remove(reservation);
    }

    /**
     * Adds an opened connection in its reserved slot and sends it {@code connection_established},
     * before any event that follows the id announced there.
     */
    synchronized void attach(OutboundConnection connection, SlotReservation reservation, long heartbeatIntervalMs) {
        if (retired) {
            registry.refuseRetired(this).attach(connection, reservation, heartbeatIntervalMs);
            return;
        }
        lastActivityNanos = System.nanoTime();
        reservations.remove(reservation);
        connection.send(FrameCodec.encode(new ConnectionEstablished(connection.id(), userId,
                ConnectionEstablished.PROTOCOL_VERSION, log.epoch(), log.newestId(), heartbeatIntervalMs)));
        connections.add(connection);
    }

    /** Removes a closed connection; no frame reaches it afterwards. */
    synchronized void detach(OutboundConnection connection) {
        lastActivityNanos = System.nanoTime();
        connections.remove(connection);
    }
}
