package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.ConnectionEstablished;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.api.ResyncRequired;
import io.switchboard.websocket.core.UserConnections;
import io.switchboard.websocket.core.WebSocketManager;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The one implementation of {@link WebSocketManager}. The log is the only queue of events: each
 * connection pulls from it, in order, from its own cursor. A connection attaches under the same
 * lock that appends, so it sees {@code connection_established}, then (resuming) every retained event
 * after its cursor, then the live ones, with no gap, duplicate or reordering in between.
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
    private final Peers peers;
    private final WebSocketMetrics metrics;
    /** Replaced, never changed, under the lock: emitting reads it without the lock. */
    private volatile List<UserConnection> connections = List.of();

    private final List<SlotReservation> reservations = new ArrayList<>();
    /** The first event a pending upgrade resumes from; written under the lock, read without it. */
    private volatile long resumesNeedFrom = Long.MAX_VALUE;

    private long lastActivityNanos = System.nanoTime();
    private boolean retired;

    UserWebSocketManager(
            String userId,
            EventLog log,
            int maxConnections,
            ManagerRegistry registry,
            Peers peers,
            WebSocketMetrics metrics) {
        this.userId = userId;
        this.log = log;
        this.maxConnections = maxConnections;
        this.registry = registry;
        this.peers = peers;
        this.metrics = metrics;
        log.listen(this::eventsAppended);
        log.keepFrom(this::neededHere);
        log.onReset(this::logReset);
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public CompletionStage<Event> emit(EventPayload payload) {
        Objects.requireNonNull(payload, "payload");
        CompletableFuture<Event> appended;
        synchronized (this) {
            if (retired) {
                appended = null;
            } else {
                lastActivityNanos = System.nanoTime();
                appended = log.append(payload).toCompletableFuture();
            }
        }
        if (appended == null) {
            return registry.refuseRetired(this).emit(payload);
        }
        if (appended.isDone() && !appended.isCompletedExceptionally()) {
            metrics.emitted(payload.type()); // in memory: appended already, no callback to allocate
            return appended;
        }
        return appended.whenComplete((event, failure) -> {
            if (failure == null) {
                metrics.emitted(payload.type());
            } else {
                metrics.emitFailed();
            }
        });
    }

    /**
     * Redis lost the user's log and a new epoch began (cluster mode): the open connections' cursors
     * belong to the old one, so they are closed, and resume into a {@code resync_required}.
     */
    private void logReset() {
        for (UserConnection connection : connections) {
            connection.terminate(1001, "the event log was reset; resume to resynchronise");
        }
    }

    /** New events are in the log: every connection pulls what it has not had yet. */
    void eventsAppended() {
        for (UserConnection connection : connections) {
            connection.wake();
        }
    }

    /**
     * Where the events this node still needs begin: after what each connection was handed, and from
     * where each pending upgrade resumes. Read without the lock, under the log's: a resume is counted
     * from its reservation, before its log read, until its connection is in the list.
     */
    private long neededHere() {
        long needed = resumesNeedFrom;
        for (UserConnection connection : connections) {
            needed = Math.min(needed, connection.sentUpTo() + 1);
        }
        return needed;
    }

    /** Called under the lock whenever the reservations or the connections change. */
    private void resumesChanged() {
        long needed = Long.MAX_VALUE;
        for (SlotReservation reservation : reservations) {
            needed = Math.min(needed, reservation.neededFrom());
        }
        resumesNeedFrom = needed;
    }

    /** A connection has been sent the events it resumed after: what it held back may go. */
    void replayed() {
        log.trim();
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
        return new UserConnections(
                userId, connections.size(), log.newestId(), log.epoch(), DeliveryCanary.isCanary(userId));
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

    /** Takes a connection slot, or returns {@code null} when the user holds the most allowed. */
    synchronized SlotReservation reserveSlot(long nowNanos, ResumePoint resume) {
        if (retired) {
            return registry.refuseRetired(this).reserveSlot(nowNanos, resume);
        }
        lastActivityNanos = nowNanos;
        reservations.removeIf(r -> r.lapsed(nowNanos, RESERVATION_LIFETIME_NANOS));
        if (connections.size() + reservations.size() >= maxConnections) {
            return null;
        }
        SlotReservation reservation = new SlotReservation(nowNanos, resume);
        reservations.add(reservation);
        resumesChanged(); // before the log reads what the upgrade resumes after
        return reservation;
    }

    /**
     * Readies an upgrade that holds a slot on this node: takes the slot across the cluster and readies
     * the log for the connection's resume point (both done at once on a single node).
     *
     * @return done when the connection may attach; failed with {@link SlotsTakenException} when the
     *     user's other nodes hold every slot, or with the store's failure
     */
    Future<Void> admit(ResumePoint resume) {
        Future<Boolean> taken;
        synchronized (this) {
            taken = peers.reserve(userId, held(), maxConnections);
        }
        return taken.compose(free -> {
            if (!free) {
                return Future.failedFuture(new SlotsTakenException());
            }
            synchronized (this) {
                return log.open(resume == null ? -1 : resume.lastEventId());
            }
        });
    }

    /** The user holds every connection slot, on this node and others. */
    static final class SlotsTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SlotsTakenException() {
            super("every connection slot of the user is taken", null, false, false);
        }
    }

    /** Slots held on this node: open connections and pending upgrades. */
    private int held() {
        return connections.size() + reservations.size();
    }

    synchronized int heldSlots() {
        return held();
    }

    /** Gives back a slot whose upgrade did not lead to a connection. */
    synchronized void releaseSlot(SlotReservation reservation) {
        if (reservations.remove(reservation)) {
            resumesChanged();
            slotsChanged();
        }
    }

    /** Tells the other nodes; with no slot left here, the log stops listening, else drops what none needs now. */
    private void slotsChanged() {
        int held = held();
        peers.hold(userId, held);
        if (held == 0) {
            log.close();
        } else {
            log.trim();
        }
    }

    /**
     * Adds an opened connection in its reserved slot and sends it {@code connection_established},
     * before any event that follows the id announced there.
     */
    synchronized void attach(
            UserConnection connection, SlotReservation reservation, ResumePoint resume, long heartbeatIntervalMs) {
        lastActivityNanos = System.nanoTime();
        reservations.remove(reservation);
        long newest = log.newestId();
        connection.reply(FrameCodec.encode(new ConnectionEstablished(
                connection.id(),
                userId,
                ConnectionEstablished.PROTOCOL_VERSION,
                log.epoch(),
                newest,
                heartbeatIntervalMs)));
        if (resume == null || replayable(resume)) {
            connection.startAfter(resume == null ? newest : resume.lastEventId());
        } else {
            connection.reply(
                    FrameCodec.encode(new ResyncRequired(log.epoch(), resume.lastEventId(), log.oldestKept())));
            connection.startAfter(newest);
        }
        List<UserConnection> more = new ArrayList<>(connections);
        more.add(connection);
        connections = List.copyOf(more);
        resumesChanged(); // only now: until the connection is in the list, its reservation holds its events
        connection.wake();
    }

    /** Whether every event after the resume point is retained in this epoch: then, and only then, it is replayed. */
    private boolean replayable(ResumePoint resume) {
        long n = resume.lastEventId();
        long newest = log.newestId();
        boolean sameEpoch = resume.epoch() == null || resume.epoch().equals(log.epoch());
        long oldest = log.oldestId(); // 0 when nothing is held: then only a cursor at the newest is replayable
        return sameEpoch && n <= newest && (n == newest || (oldest > 0 && n >= oldest - 1));
    }

    /**
     * The event of that id for a connection's delivery, read without the lock; {@code null} when it
     * has left the log (or is not there yet).
     */
    LoggedEvent logged(long eventId) {
        return log.get(eventId);
    }

    /** How many events the log holds in this node's memory, read without the lock. */
    long heldEvents() {
        long oldest = log.oldestId();
        return oldest == 0 ? 0 : Math.max(0, log.newestId() - oldest + 1); // the two are read apart
    }

    /** The newest event id, read without the lock. */
    long latestEventId() {
        return log.newestId();
    }

    @Override
    public int disconnectAll(String reason) {
        peers.disconnectElsewhere(userId, reason);
        return disconnectHere(reason);
    }

    /** Closes this node's connections of the user with 1008. */
    int disconnectHere(String reason) {
        List<UserConnection> open = connections;
        for (UserConnection connection : open) {
            connection.terminate(1008, reason);
        }
        return open.size();
    }

    /** At shutdown: every connection gets the events still waiting, then a close with 1001. */
    void finishAll(String reason) {
        List<UserConnection> open;
        synchronized (this) {
            open = connections;
        }
        for (UserConnection connection : open) {
            connection.finish(1001, reason);
        }
    }

    /** Removes a closing or closed connection; no frame reaches it afterwards. */
    synchronized void detach(UserConnection connection) {
        lastActivityNanos = System.nanoTime();
        if (connections.contains(connection)) {
            List<UserConnection> fewer = new ArrayList<>(connections);
            fewer.remove(connection);
            connections = List.copyOf(fewer);
            slotsChanged();
        }
    }
}
