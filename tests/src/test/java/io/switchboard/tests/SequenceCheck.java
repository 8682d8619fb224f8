package io.switchboard.tests;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.FrameCodec;
import java.time.Duration;

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

    /** Reads the client's events until the user's {@code expected}-th has arrived or the time is up. */
    static SequenceCheck read(WsClient client, String userId, long expected, Duration within)
            throws InterruptedException {
        SequenceCheck check = new SequenceCheck(userId);
        long deadline = System.nanoTime() + within.toNanos();
        while (check.lastApplied() < expected && System.nanoTime() < deadline) {
            String text = client.poll(Duration.ofSeconds(1));
            if (text != null && FrameCodec.decodeServerFrame(text) instanceof Event event) {
                check.accept(event);
            }
        }
        return check;
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
