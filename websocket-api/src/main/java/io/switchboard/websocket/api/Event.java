package io.switchboard.websocket.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A payload appended to a user's log: what every connection of that user receives.
 *
 * @param eventId   the id the log assigned: 1, 2, 3, ... per user and epoch
 * @param userId    the user the event belongs to
 * @param timestamp when the log appended it, truncated to milliseconds
 * @param payload   the type-specific part
 */
public record Event(long eventId, String userId, Instant timestamp, EventPayload payload) implements ServerFrame {

    public Event {
        Fields.positive(eventId, "event_id");
        Fields.nonBlank(userId, "user_id");
        if (timestamp == null) {
            throw new IllegalArgumentException("field 'timestamp' is required");
        }
        if (payload == null) {
            throw new IllegalArgumentException("payload is required");
        }
        timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public String type() {
        return payload.type();
    }
}
