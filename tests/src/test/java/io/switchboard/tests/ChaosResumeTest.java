package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.NotificationLevel;
import io.switchboard.websocket.api.ResyncRequired;
import io.switchboard.websocket.api.ServerFrame;
import io.switchboard.websocket.core.WebSocketManager;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 20 users with 2 tabs each receive a stream of 10,000 events per user while tabs are dropped at
 * random and resume: at the end every tab has exactly 1..N of its own user.
 */
@QuarkusTest
@TestProfile(DeliveryStressProfile.class)
@MissionCritical
class ChaosResumeTest {
    private static final int USERS = 20;
    private static final int TABS = 2;
    private static final int EVENTS = 10_000;
    private static final Duration LIMIT = Duration.ofSeconds(120);
    /** A tab that receives nothing for this long while events remain is stuck: the test says where. */
    private static final Duration SILENCE = Duration.ofSeconds(15);

    @TestHTTPResource("/ws")
    URI endpoint;

    @Inject
    WebSocketManagerFactory managers;

    /** One tab: reads until it has all events, dropping its connection now and then and resuming. */
    private SequenceCheck runTab(String user, String epoch, AtomicInteger drops) throws InterruptedException {
        SequenceCheck check = new SequenceCheck(user);
        String token = Tokens.valid(user);
        long deadline = System.nanoTime() + LIMIT.toNanos();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (check.lastApplied() < EVENTS && System.nanoTime() < deadline) {
            WsClient client = WsClient.connect(
                    Endpoints.ws(endpoint, "epoch=" + epoch + "&last_event_id=" + check.lastApplied()), token);
            int dropAfter = random.nextInt(200, 2_500);
            int received = 0;
            long lastFrameNanos = System.nanoTime();
            try {
                while (check.lastApplied() < EVENTS && received < dropAfter && System.nanoTime() < deadline) {
                    String text = client.poll(Duration.ofSeconds(1));
                    if (text == null) {
                        if (client.closedByServer()) {
                            break; // closed, say with 1013 for a tab too slow on a loaded machine: resume
                        }
                        if (System.nanoTime() - lastFrameNanos > SILENCE.toNanos()) {
                            throw new AssertionError(stuck(user, check, client));
                        }
                        continue;
                    }
                    lastFrameNanos = System.nanoTime();
                    apply(check, FrameCodec.decodeServerFrame(text));
                    received++;
                }
            } finally {
                client.abort();
            }
            String late;
            while ((late = client.poll()) != null) {
                apply(check, FrameCodec.decodeServerFrame(late)); // received before the drop: still applied
            }
            if (check.lastApplied() < EVENTS) {
                drops.incrementAndGet();
                Thread.sleep(random.nextInt(0, 30));
            }
        }
        return check;
    }

    /**
     * What a stuck tab, open but silent, looks like from both ends. A {@code pong} is written by the server's event loop
     * straight to the socket, past the connection's event delivery: if it arrives, the client reads
     * and the server's delivery to this connection has stopped; if it does not, the socket or the
     * client's reading has.
     */
    private String stuck(String user, SequenceCheck check, WsClient client) throws InterruptedException {
        WebSocketManager manager = managers.managerFor(user);
        String pong;
        try {
            client.send("{\"type\":\"ping\"}");
            String answer = client.poll(Duration.ofSeconds(3));
            pong = answer == null ? "no answer to a ping within 3 s" : "a ping was answered with " + answer;
        } catch (RuntimeException e) {
            pong = "a ping could not be sent: " + e;
        }
        return "a tab of " + user + " received nothing for " + SILENCE.toSeconds() + " s after event "
                + check.lastApplied() + "; the server's newest event of the user is " + manager.lastEventId()
                + " and it holds " + manager.connectionCount() + " connections of the user; " + pong;
    }

    private static void apply(SequenceCheck check, ServerFrame frame) {
        if (frame instanceof Event event) {
            check.accept(event);
        } else if (frame instanceof ResyncRequired resync) {
            check.resyncRequired(1);
        }
    }

    @Test
    void everyTabEndsWithExactlyItsUsersEventsDespiteDropsAndResumes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(USERS * TABS + USERS);
        AtomicInteger drops = new AtomicInteger();
        try {
            List<Future<SequenceCheck>> tabs = new ArrayList<>();
            List<Future<?>> emitters = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                String user = "chaos-" + u;
                WebSocketManager manager = managers.managerFor(user);
                String epoch = manager.epoch();
                for (int t = 0; t < TABS; t++) {
                    tabs.add(pool.submit(() -> runTab(user, epoch, drops)));
                }
                emitters.add(pool.submit(() -> {
                    for (int i = 1; i <= EVENTS; i++) {
                        manager.emit(new Notification(NotificationLevel.INFO, "event " + i, "chaos", null));
                        if (i % 500 == 0) {
                            Thread.sleep(10);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> emitter : emitters) {
                emitter.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            }
            List<String> reports = new ArrayList<>();
            boolean clean = true;
            for (Future<SequenceCheck> tab : tabs) {
                SequenceCheck check = tab.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
                reports.add(check.report(EVENTS));
                clean &= check.clean(EVENTS);
            }
            System.out.println("chaos: " + USERS + " users x " + TABS + " tabs x " + EVENTS + " events, " + drops.get()
                    + " drops and resumes");
            reports.forEach(r -> System.out.println("chaos: " + r));
            assertTrue(clean, String.join("\n", reports));
            assertTrue(drops.get() >= USERS * TABS, "every tab should have been dropped at least once: " + drops);
        } finally {
            pool.shutdownNow();
        }
    }
}
