package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;

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

    /** Appends a payload as the next event: id {@link #newestId()} + 1, stamped now. */
    Event append(EventPayload payload);

    /**
     * The event of that id if it is retained, else {@code null}. Safe from any thread without the
     * owner's lock: connections read while the owner appends.
     */
    LoggedEvent get(long eventId);

    /** The oldest retained id, 0 if none is retained. */
    long oldestId();

    /** The newest id ever appended in this epoch, 0 if none. */
    long newestId();
}
