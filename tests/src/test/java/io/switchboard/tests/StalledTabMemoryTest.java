package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.bench.ServerProcess;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.api.ResyncRequired;
import io.switchboard.websocket.api.ServerFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server, as its own process, against a tab that stops reading (a raw socket with a
 * small receive buffer) while an administrator posts 12,000 notifications of about 3.9 KB to its user
 * (47 MB). The tab is closed with 1013 soon after its queue fills, the server
 * holds no more for it than the outbound bound, and the user's other tab and another user get
 * everything in order. Memory is what the server process really holds: heap after a full GC plus
 * direct buffers, not a counter of ours.
 */
@MissionCritical
class StalledTabMemoryTest {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final int EVENTS = 12_000;
    private static final int OTHER_EVENTS = 1_000;
    private static final String BODY = "x".repeat(3_900);
    private static final long BOUND = 1 << 20; // switchboard.websocket.outbound.max-bytes, its default
    private static final long SLOW_CONSUMER_MILLIS = 3_000; // outbound.slow-consumer-timeout, its default
    private static final int RETAINED = 1_000; // retention.events, its default
    /** What a retained event costs in the log: its wire text (~4 KB) and the record around it. */
    private static final long RETAINED_EVENT_BYTES = 4_300;
    /** What else may grow: buffers of the HTTP requests, metrics, the JIT's and GC's noise. */
    private static final long CONSTANT = 4L << 20;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private String get(ServerProcess server, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(PackagedServer.http(server, path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private void notify(ServerProcess server, String admin, String user, int n) throws Exception {
        String body =
                "{\"user_id\":\"" + user + "\",\"level\":\"info\",\"title\":\"n" + n + "\",\"body\":\"" + BODY + "\"}";
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(PackagedServer.http(server, "/api/notifications"))
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
    }

    /**
     * Heap after a full GC plus direct memory, as the server reports them: the JVM's direct buffer
     * pool, or Netty's pooled direct memory if that is larger (the two overlap: Vert.x's pool is made
     * of the JVM's direct buffers).
     */
    private long held(ServerProcess server) throws Exception {
        long heap = server.heapUsedBytes();
        String metrics = get(server, "/q/metrics", null);
        double direct = MetricsText.sum(metrics, "jvm_buffer_memory_used_bytes", "id=\"direct\"");
        double netty = MetricsText.sum(metrics, "netty_allocator_memory_used", "memory_type=\"direct\"");
        return heap + (long) Math.max(direct, Double.isNaN(netty) ? 0 : netty);
    }

    @Test
    void aTabThatStopsReadingIsClosedWith1013AndCostsNoMoreThanItsBound() throws Exception {
        PackagedServer idp = new PackagedServer(dir);
        // a long close timeout, so that the paused client can still read its close frame later
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (ServerProcess server = idp.launch("-Dswitchboard.websocket.close-timeout=30S")) {
            server.port(STARTUP);
            String admin = idp.token("root", 600, "admin");
            URI ws = PackagedServer.ws(server);
            try (StalledSocket stalled = StalledSocket.open(ws, idp.token("slow-user", 600), 16 * 1024);
                    WsClient reading = WsClient.connect(ws, idp.token("slow-user", 600));
                    WsClient other = WsClient.connect(ws, idp.token("other-user", 600))) {
                long before = held(server);
                Future<SequenceCheck> readingTab =
                        pool.submit(() -> SequenceCheck.read(reading, "slow-user", EVENTS, Duration.ofSeconds(120)));
                Future<SequenceCheck> otherTab = pool.submit(
                        () -> SequenceCheck.read(other, "other-user", OTHER_EVENTS, Duration.ofSeconds(120)));

                AtomicLong fullAt = new AtomicLong();
                AtomicLong closedAt = new AtomicLong();
                AtomicBoolean flooding = new AtomicBoolean(true);
                Future<?> watch = pool.submit(() -> {
                    while (closedAt.get() == 0 && (flooding.get() || fullAt.get() != 0)) {
                        String metrics = get(server, "/q/metrics", null);
                        long now = System.nanoTime();
                        double queued = MetricsText.sum(metrics, "switchboard_outbound_queue_high_water_bytes");
                        if (fullAt.get() == 0 && queued >= 0.9 * BOUND) {
                            fullAt.set(now);
                        }
                        String users = get(server, "/api/admin/connections", admin);
                        if (users.matches("(?s).*\"user_id\":\"slow-user\",\"connections\":1\\b.*")) {
                            closedAt.set(now);
                        }
                        Thread.sleep(100);
                    }
                    return null;
                });
                for (int i = 1; i <= EVENTS; i++) {
                    notify(server, admin, "slow-user", i);
                    if (i % (EVENTS / OTHER_EVENTS) == 0) {
                        notify(server, admin, "other-user", i);
                    }
                }
                flooding.set(false);
                watch.get(60, TimeUnit.SECONDS);

                assertTrue(
                        fullAt.get() != 0,
                        "the outbound queue never reported full: the server does not see what it holds");
                assertTrue(closedAt.get() != 0, "the stalled tab was not closed");
                long closeMillis = TimeUnit.NANOSECONDS.toMillis(closedAt.get() - fullAt.get());
                long after = held(server);
                long allowed = BOUND + 2L * RETAINED * RETAINED_EVENT_BYTES + CONSTANT;
                System.out.printf(
                        "stalled tab: closed %d ms after its queue filled; the server holds %+d KB (allowed %d KB)%n",
                        closeMillis, (after - before) >> 10, allowed >> 10);
                assertTrue(closeMillis <= SLOW_CONSUMER_MILLIS + 2_000, "closed " + closeMillis + " ms after filling");
                assertTrue(after - before <= allowed, "the server holds " + (after - before) + " bytes more");

                SequenceCheck readingCheck = readingTab.get(120, TimeUnit.SECONDS);
                SequenceCheck otherCheck = otherTab.get(120, TimeUnit.SECONDS);
                assertTrue(readingCheck.clean(EVENTS), readingCheck.report(EVENTS));
                assertTrue(otherCheck.clean(OTHER_EVENTS), otherCheck.report(OTHER_EVENTS));

                // Reading at last, the stalled tab gets what was written to its socket, in order, then 1013.
                StalledSocket.Received received = stalled.readAll(Duration.ofSeconds(5));
                SequenceCheck stalledCheck = new SequenceCheck("slow-user");
                for (String text : received.texts()) {
                    if (FrameCodec.decodeServerFrame(text) instanceof Event event) {
                        stalledCheck.accept(event);
                    }
                }
                assertEquals(1013, received.closeCode());
                assertTrue(stalledCheck.clean(stalledCheck.lastApplied()), stalledCheck.report(EVENTS));
                assertTrue(stalledCheck.lastApplied() < EVENTS - RETAINED, "it had fallen out of the log");

                // Its events after that have left the log: resuming gets resync_required, not a partial replay.
                String epoch = reading.established().epoch();
                try (WsClient resumed = WsClient.connect(
                        URI.create(ws + "?epoch=" + epoch + "&last_event_id=" + stalledCheck.lastApplied()),
                        idp.token("slow-user", 600))) {
                    ServerFrame first = resumed.next();
                    ResyncRequired resync = assertInstanceOf(ResyncRequired.class, first);
                    assertEquals(stalledCheck.lastApplied(), resync.lastEventId());
                    assertEquals(EVENTS - RETAINED + 1, resync.oldestEventId());
                    assertNotNull(resumed.established());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
