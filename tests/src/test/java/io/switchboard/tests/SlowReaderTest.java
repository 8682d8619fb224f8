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
import io.switchboard.websocket.api.ServerFrame;
import io.switchboard.websocket.core.WebSocketManager;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A tab that stops reading while its user and another receive a fast stream of ~1 KiB events: it is
 * closed with 1013, nobody else loses anything, the server's memory for it stays bounded, and it gets
 * every event back by resuming.
 */
@QuarkusTest
@TestProfile(DeliveryStressProfile.class)
@MissionCritical
class SlowReaderTest {
    private static final int EVENTS = 10_000;
    private static final String BODY = "x".repeat(1_000);

    @TestHTTPResource("/ws")
    URI endpoint;

    @Inject
    WebSocketManagerFactory managers;

    @Inject
    WebSocketManagerRegistry registry;

    @Inject
    MeterRegistry meters;

    private static SequenceCheck readAll(WsClient client, String user) throws InterruptedException {
        SequenceCheck check = new SequenceCheck(user);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (check.lastApplied() < EVENTS && System.nanoTime() < deadline) {
            String text = client.poll(Duration.ofSeconds(1));
            if (text != null && FrameCodec.decodeServerFrame(text) instanceof Event event) {
                check.accept(event);
            }
        }
        return check;
    }

    private static Runnable stream(WebSocketManager manager) {
        return () -> {
            for (int i = 1; i <= EVENTS; i++) {
                manager.emit(new Notification(NotificationLevel.INFO, "event " + i, BODY, null));
            }
        };
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    @Test
    void aStalledTabIsClosedWith1013AndRecoversEverythingByResuming() throws Exception {
        WebSocketManager slowUser = managers.managerFor("slow-user");
        WebSocketManager otherUser = managers.managerFor("other-user");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (WsClient slow = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("slow-user"));
                WsClient fast = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("slow-user"));
                WsClient other = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("other-user"))) {
            slow.pause();
            long heapBefore = Heap.usedAfterGc();
            Future<SequenceCheck> fastTab = pool.submit(() -> readAll(fast, "slow-user"));
            Future<SequenceCheck> otherTab = pool.submit(() -> readAll(other, "other-user"));
            Future<?> stream1 = pool.submit(stream(slowUser));
            Future<?> stream2 = pool.submit(stream(otherUser));
            stream1.get(60, TimeUnit.SECONDS);
            stream2.get(60, TimeUnit.SECONDS);

            SequenceCheck fastCheck = fastTab.get(60, TimeUnit.SECONDS);
            SequenceCheck otherCheck = otherTab.get(60, TimeUnit.SECONDS);
            assertTrue(fastCheck.clean(EVENTS), fastCheck.report(EVENTS));
            assertTrue(otherCheck.clean(EVENTS), otherCheck.report(EVENTS));

            await("the stalled tab was not let go")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> registry.user("slow-user").orElseThrow().connections() == 1);
            long heapAfter = Heap.usedAfterGc();
            double queuedFrames = gauge("switchboard.outbound.queue.high.water.frames");
            double queuedBytes = gauge("switchboard.outbound.queue.high.water.bytes");
            long streamed = 2L * EVENTS * BODY.length();
            System.out.printf(
                    "slow reader: streamed %d MB; heap %+d MB; deepest outbound queue %.0f frames, %.0f KB%n",
                    streamed >> 20, (heapAfter - heapBefore) >> 20, queuedFrames, queuedBytes / 1024);
            assertTrue(queuedFrames <= 1_000 + 64, "outbound queue bound in frames: " + queuedFrames);
            assertTrue(queuedBytes <= 1_048_576 + 64 * 1_200, "outbound queue bound in bytes: " + queuedBytes);
            // Both logs keep the stream (20,000 events of retention); nothing else may grow with it.
            assertTrue(heapAfter - heapBefore < streamed + (32 << 20), "heap grew by " + (heapAfter - heapBefore));

            SequenceCheck slowCheck = new SequenceCheck("slow-user");
            slow.unpause();
            String text;
            while ((text = slow.poll(Duration.ofSeconds(2))) != null) {
                ServerFrame frame = FrameCodec.decodeServerFrame(text);
                if (frame instanceof Event event) {
                    slowCheck.accept(event);
                }
            }
            assertEquals(1013, slow.awaitCloseCode());
            assertTrue(slowCheck.lastApplied() < EVENTS, "the stalled tab had missed events");

            try (WsClient resumed = WsClient.connect(
                    Endpoints.ws(endpoint, "epoch=" + slowUser.epoch() + "&last_event_id=" + slowCheck.lastApplied()),
                    Tokens.valid("slow-user"))) {
                long deadlineResume = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (slowCheck.lastApplied() < EVENTS && System.nanoTime() < deadlineResume) {
                    String more = resumed.poll(Duration.ofSeconds(1));
                    if (more != null && FrameCodec.decodeServerFrame(more) instanceof Event event) {
                        slowCheck.accept(event);
                    }
                }
            }
            System.out.println("slow reader: " + slowCheck.report(EVENTS));
            assertTrue(slowCheck.clean(EVENTS), slowCheck.report(EVENTS));
        } finally {
            pool.shutdownNow();
        }
    }
}
