package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** What a manager lets a node's copy of the log drop: nothing that a resume under way will ask for. */
class UserWebSocketManagerTest {

    /** A node's copy of a log, appended to at once: enough to see what the manager lets it forget. */
    private static final class NodeCopy implements EventLog {
        private final EventRing ring = new EventRing(100);
        private Runnable onAppended = () -> {};
        private LongSupplier neededFrom = () -> 0;

        @Override
        public String epoch() {
            return "e";
        }

        @Override
        public CompletionStage<Event> append(EventPayload payload) {
            Event event = new Event(ring.newestId() + 1, "alice", Instant.EPOCH, payload);
            ring.add(new LoggedEvent(event.eventId(), event.type(), "{}", 2, 0));
            ring.dropBefore(neededFrom.getAsLong());
            onAppended.run();
            return CompletableFuture.completedFuture(event);
        }

        @Override
        public void listen(Runnable onAppended) {
            this.onAppended = onAppended;
        }

        @Override
        public void keepFrom(LongSupplier neededFrom) {
            this.neededFrom = neededFrom;
        }

        @Override
        public void trim() {
            ring.dropBefore(neededFrom.getAsLong());
        }

        @Override
        public LoggedEvent get(long eventId) {
            return ring.get(eventId);
        }

        @Override
        public long oldestId() {
            return ring.isEmpty() ? 0 : ring.firstId();
        }

        @Override
        public long newestId() {
            return ring.newestId();
        }
    }

    private final WebSocketMetrics metrics = new WebSocketMetrics(new SimpleMeterRegistry());
    private final NodeCopy log = new NodeCopy();
    private final UserWebSocketManager manager = new UserWebSocketManager(
            "alice",
            log,
            10,
            new ManagerRegistry(100, 10, Duration.ofMinutes(10), Clock.systemUTC(), metrics),
            Peers.SINGLE,
            metrics);

    private void emit(int count) {
        for (int i = 0; i < count; i++) {
            manager.emit(new AgentThinking("t", "r", "step"));
        }
    }

    @Test
    void withNoConnectionANodeCopyHoldsNothing() {
        emit(10);
        assertEquals(10, manager.lastEventId());
        assertEquals(0, manager.heldEvents());
    }

    @Test
    void anUpgradeResumingAfterAnIdKeepsEverythingAfterItUntilItsSlotIsReleased() {
        emit(10);
        SlotReservation resuming = manager.reserveSlot(System.nanoTime(), new ResumePoint("e", 4));
        assertNotNull(resuming);
        assertNotNull(manager.reserveSlot(System.nanoTime(), null), "one starting live pins nothing");
        emit(1); // what was dropped before the upgrade came is read from the store by the resume itself
        assertEquals(1, manager.heldEvents());
        log.ring.addOlder(new LoggedEvent(10, "agent_thinking", "{}", 2, 0)); // as the resume's read does
        for (long id = 9; id >= 5; id--) {
            log.ring.addOlder(new LoggedEvent(id, "agent_thinking", "{}", 2, 0));
        }
        emit(5);
        assertEquals(5, log.oldestId(), "events 5 to 16 stay for the resume after 4");
        assertEquals(12, manager.heldEvents());
        manager.releaseSlot(resuming);
        assertEquals(0, manager.heldEvents(), "released with its slot, before any new event");
    }
}
