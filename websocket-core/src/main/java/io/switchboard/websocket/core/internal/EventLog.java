package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import io.vertx.core.Future;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * One user's log of events: assigns the ids and keeps the newest ones for delivery and replay. Kept
 * small so that a shared (Redis) log can replace the in-memory one without touching the manager.
 *
 * <p>The owning manager serialises every call but {@link #get} and the id queries, which any
 * thread may make at any time.
 */
interface EventLog {

    /** This incarnation of the log; a new log has a new epoch. */
    String epoch();

    /**
     * Appends a payload as the next event, stamped now; the stage completes with it once its id is
     * assigned, or fails with an {@code EventStoreUnavailableException}. Appends complete in call order.
     */
    CompletionStage<Event> append(EventPayload payload);

    /** Called, on any thread, each time new events can be read from this log. */
    void listen(Runnable onAppended);

    /**
     * Readies the log for a connection that wants every event after {@code lastEventId} ({@code -1}:
     * it starts live). Done at once in memory; in cluster mode once the log listens to Redis and holds
     * the events wanted that Redis still keeps.
     */
    default Future<Void> open(long lastEventId) {
        return Future.succeededFuture();
    }

    /** No connection reads the log on this node any more; in cluster mode it stops listening. */
    default void close() {}

    /**
     * For a node's copy of a log kept elsewhere (cluster mode: Redis keeps it): where the events this
     * node's connections still need begin. The copy drops the older ones each time it takes events, and
     * on {@link #trim}. It asks under its own lock, so the supplier reads only what needs no lock.
     */
    default void keepFrom(LongSupplier neededFrom) {}

    /** A node's copy drops, now, what no connection here still needs; a log that is its own store keeps it all. */
    default void trim() {}

    /** Called when the log was lost and began again with a new epoch (cluster mode: Redis lost it). */
    default void onReset(Runnable onReset) {}

    /**
     * The event of that id if it is retained, else {@code null}. Safe from any thread without the
     * owner's lock: connections read while the owner appends.
     */
    LoggedEvent get(long eventId);

    /** The oldest id held here for replay, 0 if none is. */
    long oldestId();

    /** The oldest id the log keeps, wherever it keeps it; 0 if it keeps none. */
    default long oldestKept() {
        return oldestId();
    }

    /** The newest id ever appended in this epoch, 0 if none. */
    long newestId();
}
