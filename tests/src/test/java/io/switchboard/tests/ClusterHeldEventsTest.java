package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.bench.RedisServer;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.ResyncRequired;
import io.switchboard.websocket.api.ServerFrame;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a node of a cluster holds of its users' logs: Redis keeps each log, so a node holds only what
 * its tabs have still to be sent ({@code switchboard_events_held}). A tab that stops reading keeps
 * its events on its node, and gets them all, in order, when it reads again; a resume reads from Redis.
 */
class ClusterHeldEventsTest {
    private static final int RETENTION = 150;
    /** Each event's text is about 1.6 KB: a stalled tab's kernel buffers and outbound bound fill in a few dozen. */
    private static final String BODY = "x".repeat(1_500);

    @TempDir
    private static Path dir;

    private static RedisServer redis;
    private static ClusterNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
        nodes = new ClusterNodes(
                dir,
                redis.uri(),
                "-Dswitchboard.websocket.retention.events=" + RETENTION,
                "-Dswitchboard.websocket.socket-send-buffer=8192",
                "-Dswitchboard.websocket.outbound.max-bytes=32768",
                "-Dswitchboard.websocket.outbound.slow-consumer-timeout=60S");
        nodes.start("a");
        nodes.start("b");
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static long held(String node) throws Exception {
        HttpResponse<String> metrics = ClusterNodes.HTTP.send(
                HttpRequest.newBuilder(nodes.http(node, "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return Math.round(MetricsText.sum(metrics.body(), "switchboard_events_held"));
    }

    private static void notifyLarge(String user, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            HttpResponse<String> answer = nodes.post(
                    "a", "{\"user_id\":\"" + user + "\",\"level\":\"info\",\"title\":\"t\",\"body\":\"" + BODY + "\"}");
            assertEquals(202, answer.statusCode(), answer.body());
        }
    }

    /** Waits, without any new event, until node B holds at most a few events; fails if it does not within 10 s. */
    private static void awaitHeldOnB(String why) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long held = held("b");
        while (held > 5 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            held = held("b");
        }
        assertTrue(held <= 5, "node B still holds " + held + " events " + why);
    }

    /** Reads the tab's events up to the user's {@code id}-th; fails on a gap, a duplicate or another user's. */
    private static void readUpTo(WsClient tab, String user, long id) throws Exception {
        SequenceCheck check = SequenceCheck.read(tab, user, id, Duration.ofSeconds(30));
        assertEquals(id, check.lastApplied(), check.report(id));
    }

    @Test
    void aNodeHoldsOnlyWhatItsTabsHaveStillToBeSentAndAResumeReadsTheRestFromRedis() throws Exception {
        String user = "held-sent";
        try (WsClient tab = WsClient.connect(nodes.ws("b"), nodes.token(user))) {
            String epoch = tab.established().epoch();
            assertEquals(200, nodes.notifyMany("a", user, "n", 200));
            readUpTo(tab, user, 200);
            assertEquals(
                    Integer.toString(RETENTION),
                    redis.cli("XLEN", "switchboard:{" + user + "}:events"),
                    "Redis keeps the log's newest events");
            nodes.notify("a", user, "last"); // the next event lets node B drop what its tab was sent
            readUpTo(tab, user, 201);
            long held = held("b");
            assertTrue(held <= 5, "node B holds " + held + " events; its only tab of the user was sent all 201");

            try (WsClient resumed =
                    WsClient.connect(nodes.ws("b", "epoch=" + epoch + "&last_event_id=60"), nodes.token(user))) {
                List<ServerFrame> frames = new ArrayList<>();
                while (frames.size() < 141) {
                    frames.add(resumed.next());
                }
                List<Long> ids =
                        frames.stream().map(frame -> ((Event) frame).eventId()).toList();
                assertEquals(LongStream.rangeClosed(61, 201).boxed().toList(), ids, "replayed from Redis, in order");
                assertTrue(resumed.quietFor(Duration.ofMillis(300)), "nothing more");
                awaitHeldOnB("once the resumed tab was sent its replay");
            }
            try (WsClient other = WsClient.connect(nodes.ws("b", "epoch=other&last_event_id=5"), nodes.token(user))) {
                ResyncRequired resync = (ResyncRequired) other.next();
                assertEquals(
                        201 - RETENTION + 1,
                        resync.oldestEventId(),
                        "Redis keeps the newest " + RETENTION + ": the log's oldest, not the node's");
            }
        }
    }

    @Test
    void aTabThatStopsReadingKeepsItsEventsOnItsNodeAndGetsThemAllInOrderWhenItReadsAgain() throws Exception {
        String user = "held-stalled";
        int events = 120;
        try (WsClient reading = WsClient.connect(nodes.ws("b"), nodes.token(user))) {
            try (StalledSocket stalled = StalledSocket.open(nodes.ws("b"), nodes.token(user), 2048)) {
                notifyLarge(user, events);
                readUpTo(reading, user, events);
                nodes.notify("a", user, "last");
                readUpTo(reading, user, events + 1);
                long held = held("b");
                assertTrue(
                        held >= events / 2,
                        "node B holds only " + held + " events, while a tab that stopped reading still needs most of "
                                + events);

                StalledSocket.Received received = stalled.readAll(Duration.ofSeconds(3));
                assertEquals(-1, received.closeCode(), "the tab was not closed: nothing it needed had been dropped");
                List<Long> ids = new ArrayList<>();
                for (String text : received.texts()) {
                    if (FrameCodec.decodeServerFrame(text) instanceof Event event
                            && event.payload() instanceof Notification) {
                        ids.add(event.eventId());
                    }
                }
                assertEquals(LongStream.rangeClosed(1, events + 1).boxed().toList(), ids);
            }
            awaitHeldOnB("once the stalled tab closed, with no event since");
        }
    }
}
