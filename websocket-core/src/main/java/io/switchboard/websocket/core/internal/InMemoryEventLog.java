package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** An {@link EventLog} in the heap that keeps the newest {@code capacity} events. */
final class InMemoryEventLog implements EventLog {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String userId;
    private final int capacity;
    private final Clock clock;
    private final String epoch;
    private final ArrayDeque<Event> retained = new ArrayDeque<>();
    private long newestId;

    InMemoryEventLog(String userId, int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("retention must keep at least one event, was " + capacity);
        }
        this.userId = userId;
        this.capacity = capacity;
        this.clock = clock;
        this.epoch = newEpoch();
    }

    private static String newEpoch() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public Event append(EventPayload payload) {
        Event event = new Event(newestId + 1, userId, clock.instant(), payload);
        newestId = event.eventId();
        retained.addLast(event);
        if (retained.size() > capacity) {
            retained.removeFirst();
        }
        return event;
    }

    @Override
    public List<Event> after(long eventId) {
        List<Event> events = new ArrayList<>();
        for (Event event : retained) {
            if (event.eventId() > eventId) {
                events.add(event);
            }
        }
        return events;
    }

    @Override
    public long oldestId() {
        Event oldest = retained.peekFirst();
        return oldest == null ? 0 : oldest.eventId();
    }

    @Override
    public long newestId() {
        return newestId;
    }
}
