package io.switchboard.websocket.api;

import java.util.List;

/**
 * What a consumer emits for one user: the type-specific part of an event. The user's log adds the
 * common fields ({@code event_id}, {@code user_id}, {@code timestamp}) when it appends it, which
 * makes an {@link Event}.
 */
public sealed interface EventPayload permits RunEventPayload, Notification {

    /** The wire name of this event type, such as {@code agent_started}. */
    String type();

    /**
     * The wire names of every event type, read from this sealed hierarchy (each record's {@code TYPE}
     * constant), in declaration order; a new event type is listed as soon as it is permitted.
     */
    static List<String> types() {
        return EventTypes.ALL;
    }
}
