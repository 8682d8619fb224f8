package io.switchboard.tests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.NotificationLevel;
import io.switchboard.websocket.core.WebSocketManager;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.inject.Inject;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Two hundred tabs that stop reading, each flooded far past its bound (256 KiB here), while one
 * user keeps reading: the server holds at most the bound per stalled tab (heap after a full GC plus
 * direct buffers), every stalled tab is closed with 1013, and the reading user's delivery latency
 * stays within twice what it is when the same events are emitted with no stalled tab at all.
 */
@QuarkusTest
@TestProfile(ManySlowTabsProfile.class)
@MissionCritical
class ManySlowTabsTest {
    private static final int TABS = 200;
    /** 100 × ~4 KB: past the bound and the little the stalled client's socket buffers take. */
    private static final int EVENTS_PER_TAB = 100;

    private static final String BODY = "x".repeat(3_900);
    private static final int READER_EVERY = 40;
    private static final long ROUND_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The logs (200 users × 20 events × ~4 KB) and the sockets' bookkeeping of ~0.8 KB per unsent frame. */
    private static final long CONSTANT = 40L << 20;

    @TestHTTPResource("/ws")
    URI endpoint;

    @Inject
    WebSocketManagerFactory managers;

    @Inject
    WebSocketManagerRegistry registry;

    @Inject
    MeterRegistry meters;

    /**
     * One flood, in rounds 50 ms apart: each round gives every flooded user one event, and the
     * reading user one in every forty of them, carrying its send time.
     */
    private long[] flood(String prefix, WsClient reader) throws Exception {
        List<WebSocketManager> users = new ArrayList<>();
        for (int u = 0; u < TABS; u++) {
            users.add(managers.managerFor(prefix + u));
        }
        WebSocketManager reading = managers.managerFor("reader");
        int readerEvents = TABS * EVENTS_PER_TAB / READER_EVERY;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<long[]> latencies = pool.submit(() -> readLatencies(reader, readerEvents));
            int emitted = 0;
            long start = System.nanoTime();
            for (int round = 0; round < EVENTS_PER_TAB; round++) {
                LockSupport.parkNanos(start + round * ROUND_NANOS - System.nanoTime());
                for (WebSocketManager user : users) {
                    user.emit(new Notification(NotificationLevel.INFO, "flood", BODY, null));
                    if (++emitted % READER_EVERY == 0) {
                        reading.emit(new Notification(
                                NotificationLevel.INFO, Long.toString(System.nanoTime()), "probe", null));
                    }
                }
            }
            return latencies.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long[] readLatencies(WsClient reader, int count) throws InterruptedException {
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            String text = reader.nextText();
            long now = System.nanoTime();
            Notification probe = (Notification) ((Event) FrameCodec.decodeServerFrame(text)).payload();
            micros[i] = TimeUnit.NANOSECONDS.toMicros(now - Long.parseLong(probe.title()));
        }
        return micros;
    }

    private static long p99(long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
    }

    /** Heap after a full GC plus the JVM's direct buffers and Netty's. */
    private long held() throws InterruptedException {
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct += pool.getMemoryUsed();
            }
        }
        double netty = meters.find("netty.allocator.memory.used").tag("memory.type", "direct").gauges().stream()
                .mapToDouble(g -> g.value())
                .sum();
        return Heap.usedAfterGc() + Math.max(direct, (long) netty);
    }

    private double terminated1013() {
        return meters.get("switchboard.connections.terminated")
                .tag("code", "1013")
                .counter()
                .count();
    }

    @Test
    void stalledTabsCostAtMostTheirBoundAndDoNotSlowAReadingUser() throws Exception {
        List<StalledSocket> stalled = new ArrayList<>();
        try (WsClient reader = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("reader"))) {
            flood("warm-up-", reader); // compiles the path, so that the next floods compare like with like
            long[] alone = flood("quiet-", reader);

            for (int u = 0; u < TABS; u++) {
                stalled.add(StalledSocket.open(Endpoints.ws(endpoint), Tokens.valid("stalled-" + u), 8 * 1024));
            }
            double terminatedBefore = terminated1013();
            long before = held();
            long[] withStalledTabs = flood("stalled-", reader);
            await("every stalled tab closed with 1013")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> terminated1013() - terminatedBefore >= TABS);
            long after = held();
            long allowed = (long) TABS * ManySlowTabsProfile.BOUND + CONSTANT;
            System.out.printf(
                    "%d stalled tabs: the server holds %+d KB (allowed %d KB); reader p99 %d us alone, %d us"
                            + " beside them%n",
                    TABS, (after - before) >> 10, allowed >> 10, p99(alone), p99(withStalledTabs));
            assertTrue(after - before <= allowed, "the server holds " + (after - before) + " bytes more");
            assertEquals(0, registry.user("stalled-0").orElseThrow().connections());
            // 3x, or 25 ms more where that is larger: below it, the scheduling of the test's own threads,
            // the server's work of filling 200 sockets once and the GC on two cores decide; a reader held
            // up behind a stalled tab waits for the slow-consumer timeout (1 s here) instead
            long limit = Math.max(3 * p99(alone), p99(alone) + 25_000);
            assertTrue(p99(withStalledTabs) <= limit, "reader p99 " + p99(withStalledTabs) + " us > " + limit);
        } finally {
            for (StalledSocket socket : stalled) {
                socket.close();
            }
        }
    }
}
