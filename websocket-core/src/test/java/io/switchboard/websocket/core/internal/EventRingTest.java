package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

    @Test
    void droppingTheOldestKeepsTheRestAndTheNextIdThenDroppingPastTheNewestEmptiesIt() {
        EventRing ring = new EventRing(8);
        for (long id = 1; id <= 6; id++) {
            ring.add(event(id));
        }
        ring.dropBefore(4);
        assertEquals(List.of(4L, 5L, 6L), held(ring));
        assertEquals(4, ring.firstId());
        ring.dropBefore(2); // already gone: nothing changes
        assertEquals(List.of(4L, 5L, 6L), held(ring));
        ring.add(event(7));
        assertEquals(List.of(4L, 5L, 6L, 7L), held(ring));
        ring.dropBefore(Long.MAX_VALUE);
        assertTrue(ring.isEmpty());
        assertEquals(7, ring.newestId());
        assertEquals(8, ring.firstId());
        ring.add(event(8));
        assertTrue(ring.addOlder(event(7)), "a resume may fill in what was dropped");
        assertEquals(List.of(7L, 8L), held(ring));
    }

    @Test
    void droppingWorksAcrossTheWrapAndAfterTheArrayGrew() {
        EventRing ring = new EventRing(16);
        for (long id = 1; id <= 20; id++) { // grows 8 -> 16, then goes round
            ring.add(event(id));
        }
        assertEquals(5, ring.firstId());
        ring.dropBefore(15); // ids 5..14 sit on both sides of the array's end
        assertEquals(List.of(15L, 16L, 17L, 18L, 19L, 20L), held(ring));
        for (long id = 21; id <= 30; id++) {
            ring.add(event(id));
        }
        assertEquals(15, ring.firstId(), "a ring with room does not drop on its own");
        assertEquals(16, held(ring).size());
    }

    /** An event whose text names its id and has a size that varies with it, non-ASCII included. */
    private static LoggedEvent sized(long id, int length) {
        String text = "{\"event_id\":" + id + ",\"pad\":\"" + "\u00e9x".repeat(length / 3) + "\"}";
        return new LoggedEvent(
                id, id % 3 == 0 ? "agent_thinking" : "notification", text, LoggedEvent.utf8Length(text), id * 7);
    }

    private static void assertHolds(EventRing ring, Map<Long, LoggedEvent> expected) {
        for (long id = Math.max(1, ring.firstId() - 3); id <= ring.newestId() + 1; id++) {
            LoggedEvent want = expected.get(id);
            LoggedEvent got = ring.get(id);
            if (id < ring.firstId() || id > ring.newestId()) {
                assertNull(got, "not held: " + id);
                continue;
            }
            assertEquals(want.json(), got == null ? null : got.json(), "event " + id);
            assertEquals(want.type(), got.type());
            assertEquals(want.appendedNanos(), got.appendedNanos());
            assertEquals(LoggedEvent.utf8Length(want.json()), got.bytes());
        }
    }

    @Test
    void eventsOfEverySizeComeBackWholeWhileTheRingGrowsAndGoesRound() {
        Random random = new Random(42);
        for (int capacity : new int[] {1, 2, 7, 64}) {
            EventRing ring = new EventRing(capacity);
            Map<Long, LoggedEvent> sent = new HashMap<>();
            for (long id = 1; id <= 3_000; id++) {
                // mostly small, now and then a burst of large ones
                int length = (id / 300) % 3 == 1 ? 2_000 + random.nextInt(6_000) : random.nextInt(200);
                LoggedEvent event = sized(id, length);
                sent.put(id, event);
                ring.add(event);
                assertEquals(Math.max(1, id - capacity + 1), ring.firstId());
                assertHolds(ring, sent);
            }
        }
    }

    @Test
    void olderEventsFillInBeforeTheOldestWhateverTheirSizes() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int capacity = 1 + random.nextInt(40);
            EventRing ring = new EventRing(capacity);
            Map<Long, LoggedEvent> sent = new HashMap<>();
            long start = 1_000 + random.nextInt(1_000);
            ring.restart(start);
            long newest = start + random.nextInt(capacity + 5);
            for (long id = start + 1; id <= newest; id++) {
                LoggedEvent event = sized(id, random.nextInt(3) == 0 ? random.nextInt(5_000) : random.nextInt(100));
                sent.put(id, event);
                ring.add(event);
            }
            while (ring.firstId() > 1) {
                long id = ring.firstId() - 1;
                LoggedEvent event = sized(id, random.nextInt(3) == 0 ? random.nextInt(5_000) : random.nextInt(100));
                boolean room = ring.newestId() - id + 1 <= capacity;
                assertEquals(room, ring.addOlder(event), "room for " + id);
                if (!room) {
                    break;
                }
                sent.put(id, event);
                assertHolds(ring, sent);
            }
            long last = ring.newestId() + 5;
            for (long id = ring.newestId() + 1; id <= last; id++) {
                LoggedEvent event = sized(id, random.nextInt(3_000));
                sent.put(id, event);
                ring.add(event);
                assertHolds(ring, sent);
            }
        }
    }
}
