package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import java.util.List;

/**
 * One user's log of events: assigns the ids and keeps the newest ones for delivery and replay. Kept
 * small so that a shared (Redis) log can replace the in-memory one without touching the manager.
 *
 * <p>Not thread-safe: the owning manager serialises all calls.
 */
interface EventLog {

    /** This incarnation of the log; a new log has a new epoch. */
    String epoch();

    /** Appends a payload as the next event: id {@link #newestId()} + 1, stamped now. */
    Event append(EventPayload payload);

    /** Up to {@code max} retained events with an id greater than {@code eventId}, oldest first. */
    List<LoggedEvent> after(long eventId, int max);

    /** The oldest retained id, 0 if none is retained. */
    long oldestId();

    /** The newest id ever appended in this epoch, 0 if none. */
    long newestId();
}
