package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.core.WebSocketManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManagerFactoryTest {
    private static final int THREADS = 24;

    private final ManagerRegistry registry = new ManagerRegistry(
            1000, 10, Duration.ofMinutes(10), Clock.systemUTC(), new WebSocketMetrics(new SimpleMeterRegistry()));
    private final ManagerFactory factory = new ManagerFactory(registry);
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void threadsRacingForOneUserAllGetTheSameManager() throws Exception {
        for (int round = 0; round < 50; round++) {
            String user = "user-" + round;
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<WebSocketManager>> results = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return factory.managerFor(user);
                }));
            }
            WebSocketManager first = results.get(0).get();
            for (Future<WebSocketManager> result : results) {
                assertSame(first, result.get());
            }
            assertEquals(user, first.userId());
        }
        assertEquals(50, registry.managerCount());
    }

    @Test
    void manyUsersAtOnceGetOneManagerEach() throws Exception {
        int users = 2_000;
        Set<WebSocketManager> seen = ConcurrentHashMap.newKeySet();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Integer> order = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                order.add(u);
            }
            Collections.shuffle(order);
            results.add(pool.submit(() -> {
                start.await();
                for (int u : order) {
                    WebSocketManager manager = factory.managerFor("user-" + u);
                    assertEquals("user-" + u, manager.userId());
                    seen.add(manager);
                }
                return null;
            }));
        }
        for (Future<?> result : results) {
            result.get();
        }
        assertEquals(users, seen.size());
        assertEquals(users, registry.managerCount());
    }

    @Test
    void refusesAMissingUserId() {
        assertThrows(IllegalArgumentException.class, () -> factory.managerFor(null));
        assertThrows(IllegalArgumentException.class, () -> factory.managerFor(" "));
    }

    @Test
    void concurrentEmitsGetConsecutiveIdsOnce() throws Exception {
        WebSocketManager manager = factory.managerFor("alice");
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            results.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 500; i++) {
                    Event event = manager.emit(new AgentThinking("t", "r", "step"))
                            .toCompletableFuture()
                            .join();
                    ids.add(event.eventId());
                }
                return null;
            }));
        }
        for (Future<?> result : results) {
            result.get();
        }
        assertEquals(THREADS * 500, ids.size());
        assertEquals(THREADS * 500L, manager.lastEventId());
        assertEquals(THREADS * 500L, Collections.max(ids));
    }

    @Test
    void theRegistryReportsUsersWithoutConnectionsAsNotConnected() {
        factory.managerFor("alice").emit(new AgentThinking("t", "r", "step"));
        assertEquals(0, registry.connectedUserCount());
        assertEquals(List.of(), registry.connectedUsers());
        assertEquals(1, registry.user("alice").orElseThrow().lastEventId());
    }
}
