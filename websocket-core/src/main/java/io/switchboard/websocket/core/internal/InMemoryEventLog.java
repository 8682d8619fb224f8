package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An {@link EventLog} in the heap: a ring of the newest {@code capacity} events, found by id in
 * constant time (ids are consecutive). The ring starts small and doubles up to {@code capacity},
 * so that the many users with few events cost little.
 */
final class InMemoryEventLog implements EventLog {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int INITIAL_SLOTS = 8;

    private final String userId;
    private final Clock clock;
    private final String epoch;

    private final int capacity;
    private LoggedEvent[] ring;
    private long newestId;

    InMemoryEventLog(String userId, int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("retention must keep at least one event, was " + capacity);
        }
        this.userId = userId;
        this.clock = clock;
        this.epoch = newEpoch();
        this.capacity = capacity;
        this.ring = new LoggedEvent[Math.min(INITIAL_SLOTS, capacity)];
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
        LoggedEvent logged = LoggedEvent.of(event);
        if (newestId == ring.length && ring.length < capacity) {
            grow();
        }
        newestId = event.eventId();
        ring[slot(newestId)] = logged;
        return event;
    }

    @Override
    public List<LoggedEvent> after(long eventId, int max) {
        long from = Math.max(eventId + 1, oldestId());
        long to = Math.min(newestId, from + max - 1);
        if (from == 0 || from > to) {
            return List.of();
        }
        List<LoggedEvent> events = new ArrayList<>((int) (to - from + 1));
        for (long id = from; id <= to; id++) {
            events.add(ring[slot(id)]);
        }
        return events;
    }

    @Override
    public long oldestId() {
        return newestId == 0 ? 0 : Math.max(1, newestId - ring.length + 1);
    }

    @Override
    public long newestId() {
        return newestId;
    }

    /** Doubles the ring; only while nothing has been evicted, so every id from 1 is in it. */
    private void grow() {
        LoggedEvent[] larger = new LoggedEvent[Math.min(capacity, ring.length * 2)];
        for (long id = 1; id <= newestId; id++) {
            larger[(int) ((id - 1) % larger.length)] = ring[slot(id)];
        }
        ring = larger;
    }

    private int slot(long id) {
        return (int) ((id - 1) % ring.length);
    }
}
