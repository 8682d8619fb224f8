package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.Event;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManagerRegistryTest {
    private static final long TTL = TimeUnit.MINUTES.toNanos(10);

    private final ManagerRegistry registry = new ManagerRegistry(
            1000, 10, Duration.ofNanos(TTL), Clock.systemUTC(), new WebSocketMetrics(new SimpleMeterRegistry()));

    @Test
    void idleManagersAreEvictedAndTheUserStartsANewEpoch() {
        UserWebSocketManager old = registry.managerFor("alice");
        old.emit(new AgentThinking("t", "r", "step"));
        String epoch = old.epoch();
        assertEquals(0, registry.evictIdle(System.nanoTime()));
        assertEquals(1, registry.evictIdle(System.nanoTime() + TTL));
        assertEquals(0, registry.managerCount());
        UserWebSocketManager fresh = registry.managerFor("alice");
        assertNotSame(old, fresh);
        assertNotEquals(epoch, fresh.epoch());
        assertEquals(0, fresh.lastEventId());
    }

    @Test
    void aManagerWithAPendingUpgradeIsNotEvicted() {
        UserWebSocketManager manager = registry.managerFor("alice");
        assertNotNull(manager.reserveSlot(System.nanoTime(), null));
        assertEquals(0, registry.evictIdle(System.nanoTime() + TTL));
        assertSame(manager, registry.managerFor("alice"));
    }

    @Test
    void aRetiredManagerIsRefusedAsASecondLiveOneAndItsEventsGoToTheLiveOne() {
        UserWebSocketManager old = registry.managerFor("alice");
        registry.evictIdle(System.nanoTime() + TTL);
        UserWebSocketManager live = registry.managerFor("alice");
        Event event = old.emit(new AgentThinking("t", "r", "late step"))
                .toCompletableFuture()
                .join();
        assertEquals(1, event.eventId());
        assertEquals(1, live.lastEventId());
        assertEquals(0, old.lastEventId());
        assertEquals(1, registry.retiredUses());
        assertEquals("alice", registry.lastRetiredUse().userId());
    }

    @Test
    void theCodeChecksNameWhatBreaksTheRule() {
        assertEquals(List.of(), ComplianceValidator.codeViolations(new Class<?>[] {UserWebSocketManager.class}, 1, 0));
        List<String> violations =
                ComplianceValidator.codeViolations(new Class<?>[] {UserWebSocketManager.class, String.class}, 2, 1);
        assertEquals(3, violations.size());
        assertTrue(violations.get(0).contains("java.lang.String"), violations.get(0));
        assertEquals("there must be exactly one WebSocketManagerFactory bean, but there are 2", violations.get(1));
        assertTrue(violations.get(2).contains("1 CDI bean(s) of type WebSocketManager"), violations.get(2));
    }
}
