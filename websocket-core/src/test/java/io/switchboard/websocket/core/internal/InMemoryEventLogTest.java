package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.Event;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryEventLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T19:33:36.123Z"), ZoneOffset.UTC);

    @Test
    void assignsIdsFromOneAndKeepsTheNewestEvents() {
        InMemoryEventLog log = new InMemoryEventLog("alice", 3, CLOCK);
        assertEquals(0, log.newestId());
        assertEquals(0, log.oldestId());
        for (int i = 0; i < 5; i++) {
            log.append(new AgentThinking("t", "r", "step " + i));
        }
        assertEquals(5, log.newestId());
        assertEquals(3, log.oldestId());
        List<Event> after = log.after(3);
        assertEquals(List.of(4L, 5L), after.stream().map(Event::eventId).toList());
        assertEquals("alice", after.get(0).userId());
        assertEquals(CLOCK.instant(), after.get(0).timestamp());
        assertEquals(3, log.after(0).size());
    }

    @Test
    void everyLogHasItsOwnEpoch() {
        assertNotEquals(new InMemoryEventLog("a", 1, CLOCK).epoch(), new InMemoryEventLog("a", 1, CLOCK).epoch());
    }
}
