package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * An {@link EventLog} in the heap: a ring of the newest {@code capacity} events, found by id in
 * constant time (ids are consecutive) and read without a lock. The ring starts small and doubles up
 * to {@code capacity}, so that the many users with few events cost little.
 */
final class InMemoryEventLog implements EventLog {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int INITIAL_SLOTS = 8;

    private final String userId;
    private final Clock clock;
    private final String epoch;

    private final int capacity;
    // Written by the appending thread only (the manager's lock); read by any thread without a lock:
    // a slot is published by the volatile write of newestId that follows it.
    private volatile LoggedEvent[] ring;
    private volatile long newestId;

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
        long id = newestId + 1;
        Event event = new Event(id, userId, clock.instant(), payload);
        LoggedEvent logged = LoggedEvent.of(event);
        LoggedEvent[] slots = ring;
        if (id - 1 == slots.length && slots.length < capacity) {
            slots = grow(slots);
        }
        slots[(int) ((id - 1) % slots.length)] = logged;
        newestId = id;
        return event;
    }

    @Override
    public LoggedEvent get(long eventId) {
        long newest = newestId;
        LoggedEvent[] slots = ring;
        if (eventId < 1 || eventId > newest) {
            return null;
        }
        LoggedEvent event = slots[(int) ((eventId - 1) % slots.length)];
        // a slot overwritten since newestId was read holds a newer event: this one has left the log
        return event != null && event.eventId() == eventId ? event : null;
    }

    @Override
    public long oldestId() {
        long newest = newestId;
        return newest == 0 ? 0 : Math.max(1, newest - ring.length + 1);
    }

    @Override
    public long newestId() {
        return newestId;
    }

    /** Doubles the ring; only while nothing has been evicted, so every id from 1 is in it. */
    private LoggedEvent[] grow(LoggedEvent[] slots) {
        LoggedEvent[] larger = new LoggedEvent[Math.min(capacity, slots.length * 2)];
        System.arraycopy(slots, 0, larger, 0, slots.length); // ids 1..length sit at 0..length-1 in both
        ring = larger;
        return larger;
    }
}
