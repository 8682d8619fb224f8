package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.FrameCodec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InMemoryEventLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T19:33:36.123Z"), ZoneOffset.UTC);

    /** The ids the log still holds, from {@code from} to its newest. */
    private static List<Long> retained(InMemoryEventLog log, long from) {
        List<Long> ids = new ArrayList<>();
        for (long id = from; id <= log.newestId(); id++) {
            if (log.get(id) != null) {
                ids.add(log.get(id).eventId());
            }
        }
        return ids;
    }

    @Test
    void assignsIdsFromOneAndKeepsTheNewestEvents() {
        InMemoryEventLog log = new InMemoryEventLog("alice", 3, CLOCK);
        assertEquals(0, log.newestId());
        assertEquals(0, log.oldestId());
        assertNull(log.get(1));
        for (int i = 0; i < 5; i++) {
            log.append(new AgentThinking("t", "r", "step " + i));
        }
        assertEquals(5, log.newestId());
        assertEquals(3, log.oldestId());
        assertEquals(List.of(3L, 4L, 5L), retained(log, 0));
        assertNull(log.get(2), "evicted");
        assertNull(log.get(6), "not there yet");
        assertNull(log.get(0));
        LoggedEvent fourth = log.get(4);
        Event decoded = (Event) FrameCodec.decodeServerFrame(fourth.json());
        assertEquals(4, decoded.eventId());
        assertEquals("alice", decoded.userId());
        assertEquals(CLOCK.instant(), decoded.timestamp());
        assertEquals(decoded.type(), fourth.type());
        assertEquals(fourth.json().length(), fourth.bytes());
    }

    @Test
    void growsToItsCapacityKeepingEveryEventThenKeepsTheNewest() {
        InMemoryEventLog log = new InMemoryEventLog("alice", 100, CLOCK);
        for (int i = 1; i <= 100; i++) {
            log.append(new AgentThinking("t", "r", "step " + i));
            assertEquals(1, log.oldestId());
            assertEquals(i, retained(log, 1).size());
        }
        for (int i = 101; i <= 250; i++) {
            log.append(new AgentThinking("t", "r", "step " + i));
        }
        assertEquals(151, log.oldestId());
        assertEquals(100, retained(log, 1).size());
        for (long id = 151; id <= 250; id++) {
            Event event = (Event) FrameCodec.decodeServerFrame(log.get(id).json());
            assertEquals(id, event.eventId());
            assertEquals("step " + id, ((AgentThinking) event.payload()).reasoning());
        }
    }

    @Test
    void aReaderWithoutTheLockSeesEachEventWholeOrNotAtAll() throws Exception {
        InMemoryEventLog log = new InMemoryEventLog("alice", 64, CLOCK);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong checked = new AtomicLong();
        AtomicReference<AssertionError> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (writing.get() && failure.get() == null) {
                long newest = log.newestId();
                for (long id = Math.max(1, newest - 70); id <= newest + 1; id++) {
                    LoggedEvent event = log.get(id);
                    if (event != null
                            && (event.eventId() != id || !event.json().contains("\"reasoning\":\"step " + id + "\""))) {
                        failure.set(new AssertionError("asked for " + id + ", got " + event.json()));
                    } else if (event != null) {
                        checked.incrementAndGet();
                    }
                }
            }
        });
        reader.start();
        for (int i = 1; i <= 100_000; i++) {
            log.append(new AgentThinking("t", "r", "step " + i));
        }
        writing.set(false);
        reader.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        assertTrue(checked.get() > 0);
    }

    @Test
    void countsUtf8Bytes() {
        assertEquals(1 + 2 + 3 + 4, LoggedEvent.utf8Length("a\u00e9\u20ac\uD83C\uDF0D"));
    }

    @Test
    void everyLogHasItsOwnEpoch() {
        assertNotEquals(new InMemoryEventLog("a", 1, CLOCK).epoch(), new InMemoryEventLog("a", 1, CLOCK).epoch());
    }
}
