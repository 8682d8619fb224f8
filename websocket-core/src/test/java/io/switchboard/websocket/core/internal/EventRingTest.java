package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the ring that only a node of a cluster uses: starting late, filling in older events, restarting. */
class EventRingTest {

    private static LoggedEvent event(long id) {
        return new LoggedEvent(id, "notification", "{\"event_id\":" + id + "}", 16, 0);
    }

    private static List<Long> held(EventRing ring) {
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= ring.newestId(); id++) {
            LoggedEvent event = ring.get(id);
            if (event != null) {
                assertEquals(id, event.eventId());
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void aRingRestartedAtAnIdContinuesFromItAndFillsInOlderEventsUpToItsCapacity() {
        EventRing ring = new EventRing(20);
        ring.restart(500);
        assertTrue(ring.isEmpty());
        assertEquals(501, ring.firstId());
        for (long id = 501; id <= 510; id++) {
            ring.add(event(id));
        }
        assertThrows(IllegalArgumentException.class, () -> ring.add(event(512)), "a gap");
        for (long id = 500; id > 490; id--) {
            assertTrue(ring.addOlder(event(id)), "room for " + id);
        }
        assertEquals(491, ring.firstId());
        assertFalse(ring.addOlder(event(490)), "full: an older event would push out a newer one");
        assertEquals(491, ring.firstId());
        List<Long> expected = new ArrayList<>();
        for (long id = 491; id <= 510; id++) {
            expected.add(id);
        }
        assertEquals(expected, held(ring));
        ring.add(event(511));
        assertEquals(492, ring.firstId());
        assertNull(ring.get(491), "the oldest leaves when a newer one comes");
    }

    @Test
    void restartingDropsEverythingAndAnnouncesTheNewestId() {
        EventRing ring = new EventRing(8);
        for (long id = 1; id <= 5; id++) {
            ring.add(event(id));
        }
        ring.restart(0);
        assertTrue(ring.isEmpty());
        assertEquals(0, ring.newestId());
        assertNull(ring.get(3));
        ring.add(event(1));
        assertEquals(List.of(1L), held(ring));
    }
}
