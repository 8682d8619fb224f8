package io.switchboard.websocket.core;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.core.internal.UserWebSocketManager;
import java.util.concurrent.CompletionStage;

/**
 * The WebSocket manager of one user: the only way to send anything to that user's connections.
 * Obtain one from {@link WebSocketManagerFactory}; there is never more than one live manager per user
 * on a node, and no other implementation can exist (the interface is sealed).
 *
 * <p>All methods are thread-safe and never block on I/O: storing an event is asynchronous, since in
 * cluster mode it is a round trip to Redis.
 */
public sealed interface WebSocketManager permits UserWebSocketManager {

    /** The user this manager belongs to; never {@code null}. */
    String userId();

    /**
     * Appends the payload to this user's log, which assigns its {@code event_id}, and delivers the
     * event to every open connection of this user, on every node, in {@code event_id} order. An
     * event emitted while the user has no connection is kept in the log all the same.
     *
     * <p>Calls for the same user are appended in the order they are made, from any thread, whether
     * or not the caller waits for each. The returned stage completes with the event once its id is
     * assigned: in memory before this method returns, in cluster mode when Redis has answered (on a
     * Vert.x thread: do not block in its callbacks). It fails with an
     * {@link EventStoreUnavailableException} when the event could not be stored; then nothing was
     * appended, and the caller decides whether to try again.
     *
     * @param payload what to emit; not {@code null}
     * @return the event as appended, or the failure to append it
     * @throws NullPointerException if {@code payload} is {@code null}
     */
    CompletionStage<Event> emit(EventPayload payload);

    /** How many connections of this user are open now. */
    int connectionCount();

    /** The id of this user's newest event in the current epoch, 0 if none. */
    long lastEventId();

    /** The current epoch of this user's log. */
    String epoch();

    /**
     * Closes every connection of this user with 1008 (policy), as when an administrator disconnects
     * the user: from this call on, none of them receives another event, and each is closed within a
     * second. In cluster mode the other nodes are told through Redis and close theirs within a second
     * too. The user may connect again.
     *
     * @param reason the close reason sent to the clients (at most 123 bytes of UTF-8)
     * @return how many connections were closed on this node
     */
    int disconnectAll(String reason);
}
