package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.FrameCodec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryEventLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T19:33:36.123Z"), ZoneOffset.UTC);

    private static List<Long> ids(List<LoggedEvent> events) {
        return events.stream().map(LoggedEvent::eventId).toList();
    }

    @Test
    void assignsIdsFromOneAndKeepsTheNewestEvents() {
        InMemoryEventLog log = new InMemoryEventLog("alice", 3, CLOCK);
        assertEquals(0, log.newestId());
        assertEquals(0, log.oldestId());
        assertEquals(List.of(), log.after(0, 10));
        for (int i = 0; i < 5; i++) {
            log.append(new AgentThinking("t", "r", "step " + i));
        }
        assertEquals(5, log.newestId());
        assertEquals(3, log.oldestId());
        assertEquals(List.of(4L, 5L), ids(log.after(3, 10)));
        assertEquals(List.of(3L, 4L, 5L), ids(log.after(0, 10)));
        assertEquals(List.of(3L), ids(log.after(1, 1)));
        assertEquals(List.of(), ids(log.after(5, 10)));
        LoggedEvent fourth = log.after(3, 1).get(0);
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
            assertEquals(i, log.after(0, 1_000).size());
        }
        for (int i = 101; i <= 250; i++) {
            log.append(new AgentThinking("t", "r", "step " + i));
        }
        assertEquals(151, log.oldestId());
        List<LoggedEvent> kept = log.after(0, 1_000);
        assertEquals(100, kept.size());
        for (int i = 0; i < kept.size(); i++) {
            assertEquals(151 + i, kept.get(i).eventId());
            assertEquals(
                    "step " + (151 + i),
                    ((AgentThinking) ((Event) FrameCodec.decodeServerFrame(
                                            kept.get(i).json()))
                                    .payload())
                            .reasoning());
        }
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
