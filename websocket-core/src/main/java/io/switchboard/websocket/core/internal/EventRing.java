package io.switchboard.websocket.core.internal;

/**
 * The newest events of one user's log, found by id in constant time (ids are consecutive) and read
 * without a lock. It holds at most {@code capacity} events: adding one more drops the oldest. The
 * array starts small and doubles up to {@code capacity}, so that the many users with few events cost
 * little.
 *
 * <p>One thread at a time writes (the owner serialises {@link #add}, {@link #addOlder},
 * {@link #dropBefore} and {@link #restart}); any thread may read at any time.
 */
final class EventRing {
    private static final int INITIAL_SLOTS = 8;

    private final int capacity;
    // A slot is published by the volatile write of newestId (or oldestId) that follows it; a reader
    // reads newestId before slots, and checks the id of what it finds.
    private volatile LoggedEvent[] slots;
    private volatile long newestId;
    /** The oldest id held, {@code newestId + 1} when none is. */
    private volatile long firstId = 1;

    EventRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("retention must keep at least one event, was " + capacity);
        }
        this.capacity = capacity;
        this.slots = new LoggedEvent[Math.min(INITIAL_SLOTS, capacity)];
    }

    /** Appends the event after the newest; its id must be {@code newestId() + 1}. */
    void add(LoggedEvent event) {
        long id = event.eventId();
        if (id != newestId + 1) {
            throw new IllegalArgumentException("event " + id + " does not follow " + newestId);
        }
        LoggedEvent[] array = slots;
        long held = id - firstId;
        if (held == array.length && array.length < capacity) {
            array = grow(array);
        }
        array[index(id, array)] = event;
        if (held >= array.length) {
            firstId = id - array.length + 1; // the slot held the oldest event, which is gone now
        }
        newestId = id;
    }

    /**
     * Puts an event before the oldest held, if there is room without dropping a newer one; its id
     * must be {@code firstId() - 1}.
     *
     * @return whether it was added
     */
    boolean addOlder(LoggedEvent event) {
        long id = event.eventId();
        if (id != firstId - 1 || id < 1) {
            throw new IllegalArgumentException("event " + id + " does not precede " + firstId);
        }
        LoggedEvent[] array = slots;
        long held = newestId - id + 1;
        if (held > array.length) {
            if (array.length == capacity) {
                return false;
            }
            array = grow(array);
        }
        array[index(id, array)] = event;
        firstId = id;
        return true;
    }

    /**
     * Drops the events before {@code eventId}, or every event if it is above the newest; the next event
     * added is still {@code newestId() + 1}.
     */
    void dropBefore(long eventId) {
        long until = Math.min(eventId, newestId + 1);
        LoggedEvent[] array = slots;
        for (long id = firstId; id < until; id++) {
            array[index(id, array)] = null;
        }
        if (until > firstId) {
            firstId = until;
        }
    }

    /** Drops every event: the ring holds nothing, and the next event added is {@code newestId + 1}. */
    void restart(long newestId) {
        slots = new LoggedEvent[Math.min(INITIAL_SLOTS, capacity)];
        this.newestId = newestId;
        this.firstId = newestId + 1;
    }

    /** The event of that id if it is held, else {@code null}. */
    LoggedEvent get(long eventId) {
        long newest = newestId;
        LoggedEvent[] array = slots;
        if (eventId < 1 || eventId > newest) {
            return null;
        }
        LoggedEvent event = array[index(eventId, array)];
        // a slot overwritten since newestId was read holds a newer event: this one has left the ring
        return event != null && event.eventId() == eventId ? event : null;
    }

    /** The newest id added, or given to {@link #restart}. */
    long newestId() {
        return newestId;
    }

    /** The oldest id held; {@code newestId() + 1} when none is. */
    long firstId() {
        return firstId;
    }

    /** Whether no event is held. */
    boolean isEmpty() {
        return firstId > newestId;
    }

    int capacity() {
        return capacity;
    }

    private static int index(long id, LoggedEvent[] array) {
        return (int) (id % array.length);
    }

    /** Doubles the array (up to the capacity), moving each held event to its place in the larger one. */
    private LoggedEvent[] grow(LoggedEvent[] array) {
        LoggedEvent[] larger = new LoggedEvent[Math.min(capacity, array.length * 2)];
        for (long id = firstId; id <= newestId; id++) {
            larger[index(id, larger)] = array[index(id, array)];
        }
        slots = larger;
        return larger;
    }
}
