package io.switchboard.tests;

import io.switchboard.websocket.api.Event;

/** Counts how a stream of one user's events departs from exactly 1..N. */
final class SequenceCheck {
    private final String userId;
    private long lastApplied;
    private long lost;
    private long duplicated;
    private long reordered;
    private long foreign;

    SequenceCheck(String userId) {
        this.userId = userId;
    }

    void accept(Event event) {
        if (!event.userId().equals(userId)) {
            foreign++;
            return;
        }
        long id = event.eventId();
        if (id <= lastApplied) {
            duplicated++;
        } else if (id == lastApplied + 1) {
            lastApplied = id;
        } else {
            reordered++;
            lost += id - lastApplied - 1;
            lastApplied = id;
        }
    }

    long lastApplied() {
        return lastApplied;
    }

    void resyncRequired(long missed) {
        lost += missed;
    }

    boolean clean(long expected) {
        return lastApplied == expected && lost == 0 && duplicated == 0 && reordered == 0 && foreign == 0;
    }

    String report(long expected) {
        return String.format(
                "%s: applied 1..%d of %d, lost %d, duplicated %d, reordered %d, foreign %d",
                userId, lastApplied, expected, lost + (expected - lastApplied), duplicated, reordered, foreign);
    }
}
