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
 * A tab that stops reading while its user and another receive a stream of ~4 KB events, 48 MB each,
 * more than the loopback socket buffers hold: its socket's write queue reports full at the bound, it
 * is closed with 1013, nobody else loses anything, and it gets every event back by resuming. The
 * logs keep the whole stream here (retention 20,000), so the server's memory is the logs plus at most
 * the bound for the stalled tab.
 */
@QuarkusTest
@TestProfile(DeliveryStressProfile.class)
@MissionCritical
class SlowReaderTest {
    private static final int EVENTS = 12_000;
    private static final String BODY = "x".repeat(3_900);
    private static final long BOUND = 1 << 20; // switchboard.websocket.outbound.max-bytes
    private static final long LARGEST_FRAME = 4_300;

    @TestHTTPResource("/ws")
    URI endpoint;

    @Inject
    WebSocketManagerFactory managers;

    @Inject
    WebSocketManagerRegistry registry;

    @Inject
    MeterRegistry meters;

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
            Future<SequenceCheck> fastTab =
                    pool.submit(() -> SequenceCheck.read(fast, "slow-user", EVENTS, Duration.ofSeconds(90)));
            Future<SequenceCheck> otherTab =
                    pool.submit(() -> SequenceCheck.read(other, "other-user", EVENTS, Duration.ofSeconds(90)));
            Future<?> stream1 = pool.submit(stream(slowUser));
            Future<?> stream2 = pool.submit(stream(otherUser));
            stream1.get(90, TimeUnit.SECONDS);
            stream2.get(90, TimeUnit.SECONDS);

            SequenceCheck fastCheck = fastTab.get(90, TimeUnit.SECONDS);
            SequenceCheck otherCheck = otherTab.get(90, TimeUnit.SECONDS);
            assertTrue(fastCheck.clean(EVENTS), fastCheck.report(EVENTS));
            assertTrue(otherCheck.clean(EVENTS), otherCheck.report(EVENTS));

            await("the stalled tab was not let go")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> registry.user("slow-user").orElseThrow().connections() == 1);
            double queuedBytes = gauge("switchboard.outbound.queue.high.water.bytes");
            System.out.printf(
                    "slow reader: streamed %d MB per user; the fullest socket held %.0f KB%n",
                    ((long) EVENTS * BODY.length()) >> 20, queuedBytes / 1024);
            // The stalled socket's queue reached the bound, and no socket held more.
            assertTrue(queuedBytes >= 0.9 * BOUND, "the stalled socket's queue never filled: " + queuedBytes);
            assertTrue(queuedBytes <= BOUND + LARGEST_FRAME, "outbound queue bound in bytes: " + queuedBytes);
            assertEquals(
                    1.0,
                    meters.get("switchboard.connections.terminated")
                            .tag("code", "1013")
                            .counter()
                            .count());

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
