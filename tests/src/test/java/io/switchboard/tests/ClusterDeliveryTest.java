package io.switchboard.tests;

import static io.switchboard.tests.Frames.userMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.bench.RedisServer;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.AgentStarted;
import io.switchboard.websocket.api.ErrorCode;
import io.switchboard.websocket.api.ErrorFrame;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.ResyncRequired;
import io.switchboard.websocket.api.RunStatus;
import io.switchboard.websocket.api.ServerFrame;
import io.switchboard.websocket.api.ToolExecuting;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three packaged nodes on one Redis: what one node does, every node's tabs see, once each, in order,
 * with the same ids; tickets, connection slots, an administrator's disconnect and broadcasts span
 * the nodes.
 */
@MissionCritical
class ClusterDeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Short, so that a tab can outlast it; every reconnect in these tests is quicker. */
    private static final Duration IDLE_TTL = Duration.ofSeconds(6);

    /** Counts the canvas' pixels within a small distance of a colour (the lines are antialiased). */
    private static final String PIXELS_OF_COLOUR = """
            const canvas = document.querySelector(arguments[0]);
            const want = [1, 3, 5].map((i) => parseInt(arguments[1].slice(i, i + 2), 16));
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let count = 0;
            for (let i = 0; i < data.length; i += 4) {
              const d = Math.abs(data[i] - want[0]) + Math.abs(data[i + 1] - want[1]) + Math.abs(data[i + 2] - want[2]);
              if (data[i + 3] > 200 && d < 40) count++;
            }
            return count;
            """;

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
                "-Dswitchboard.websocket.retention.idle-ttl=" + IDLE_TTL.toSeconds() + "S",
                "-Dswitchboard.websocket.activity.sample-interval=1S");
        nodes.start("a");
        nodes.start("b");
        nodes.start("c");
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

    private static List<ServerFrame> untilRunEnd(WsClient client) {
        return client.until(Frames.runEnd());
    }

    @Test
    void aRunStartedOnOneNodeReachesTabsOnTwoOthersOnceInOrderWithTheSameIds() throws Exception {
        String user = "run-across";
        String token = nodes.token(user);
        try (WsClient onA = WsClient.connect(nodes.ws("a"), token);
                WsClient onB = WsClient.connect(nodes.ws("b"), token);
                WsClient onC = WsClient.connect(nodes.ws("c"), token)) {
            assertEquals(onA.established().epoch(), onB.established().epoch(), "one log, one epoch");
            assertEquals(onA.established().epoch(), onC.established().epoch());
            onC.send(userMessage("thread-1", "What is 2 + 3 * 4?", "req-1"));
            List<Event> fromA = Frames.events(untilRunEnd(onA));
            List<Event> fromB = Frames.events(untilRunEnd(onB));
            List<Event> fromC = Frames.events(untilRunEnd(onC));
            assertEquals(Frames.TOOL_RUN, fromA.stream().map(Event::type).toList());
            for (int i = 0; i < fromA.size(); i++) {
                assertEquals(i + 1, fromA.get(i).eventId(), "ids 1..N in order");
            }
            assertEquals(fromA, fromB, "the tab on B saw what the tab on A saw");
            assertEquals(fromA, fromC, "the tab on C saw what the tab on A saw");
            assertTrue(onA.quietFor(Duration.ofMillis(500)), "nothing after the run's end, no duplicate");
            assertTrue(onB.quietFor(Duration.ofMillis(100)));
        }
    }

    /**
     * A run on node A, steered from a tab on node B: a second message on its thread through B is
     * refused as on one node, a {@code cancel_run} through B ends it at once on both tabs, and then
     * the thread is free again on any node.
     */
    @Test
    void aRunOnOneNodeIsCancelledFromAnotherAndHoldsItsThreadAcrossNodes() throws Exception {
        String user = "run-steered";
        String token = nodes.token(user);
        try (WsClient onA = WsClient.connect(nodes.ws("a"), token);
                WsClient onB = WsClient.connect(nodes.ws("b"), token)) {
            onA.send(userMessage("thread-1", "please wait 30 seconds", "start"));
            List<ServerFrame> started = onB.until(Frames.eventOf(ToolExecuting.class));
            String runId = Frames.payload(started.get(0), AgentStarted.class).runId();
            assertEquals(runId, Frames.payload(onA.next(), AgentStarted.class).runId());

            onB.send(userMessage("thread-1", "what is 1 + 1", "again"));
            ErrorFrame busy = (ErrorFrame) last(onB.until(f -> f instanceof ErrorFrame));
            assertEquals(ErrorCode.RUN_IN_PROGRESS, busy.code(), "the thread is held by the run on A");
            assertEquals("again", busy.requestId());

            long sent = System.nanoTime();
            onB.send("{\"type\":\"cancel_run\",\"run_id\":\"" + runId + "\",\"request_id\":\"stop\"}");
            for (WsClient tab : List.of(onA, onB)) {
                AgentCompleted end = Frames.payload(last(tab.until(Frames.runEnd())), AgentCompleted.class);
                assertEquals(runId, end.runId());
                assertEquals(RunStatus.CANCELLED, end.status());
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertTrue(tookMillis < 2_000, "cancelled across nodes in " + tookMillis + " ms");

            onB.send("{\"type\":\"cancel_run\",\"run_id\":\"run_nope\",\"request_id\":\"nope\"}");
            ErrorFrame missing = (ErrorFrame) last(onB.until(f -> f instanceof ErrorFrame));
            assertEquals(ErrorCode.RUN_NOT_FOUND, missing.code());

            onB.send(userMessage("thread-1", "what is 2 + 2", "next"));
            AgentCompleted next = Frames.payload(last(onB.until(Frames.runEnd())), AgentCompleted.class);
            assertEquals(RunStatus.COMPLETED, next.status(), "the thread is free again once the run ended");
        }
    }

    private static ServerFrame last(List<ServerFrame> frames) {
        return frames.get(frames.size() - 1);
    }

    @Test
    void twoNodesEmittingForOneUserAtOnceAssignIdsOneToTenThousand() throws Exception {
        String user = "ids-race";
        int perNode = 5_000;
        try (WsClient reader = WsClient.connect(nodes.ws("c"), nodes.token(user))) {
            nodes.notifyAtOnce(user, perNode, "a", "b");
            SequenceCheck check = SequenceCheck.read(reader, user, 2L * perNode, Duration.ofSeconds(60));
            assertTrue(check.clean(2L * perNode), check.report(2L * perNode));
            assertEquals(
                    Integer.toString(2 * perNode),
                    redis.cli("HGET", "switchboard:{" + user + "}:meta", "seq"),
                    "Redis assigned exactly that many ids");
        }
    }

    /**
     * Counts, with {@code MONITOR}, the commands that clients send about the user while notifications
     * go to ten tabs on three nodes: one script per emit, and nothing else but the periodic refresh of
     * the user's connection slots. What the script runs inside Redis is counted apart.
     */
    @Test
    void anEmitIsOneRoundTripToRedisWhateverTheTabsAndNodes() throws Exception {
        String user = "round-trips";
        int emits = 500;
        List<WsClient> tabs = new ArrayList<>();
        Path log = dir.resolve("monitor.log");
        try {
            for (int i = 0; i < 10; i++) {
                tabs.add(WsClient.connect(nodes.ws(List.of("a", "b", "c").get(i % 3)), nodes.token(user)));
            }
            Process monitor = redis.monitor(log);
            try {
                assertEquals(emits, nodes.notifyMany("a", user, "r", emits), "every emit confirmed");
                for (WsClient tab : tabs) {
                    SequenceCheck check = SequenceCheck.read(tab, user, emits, Duration.ofSeconds(30));
                    assertTrue(check.clean(emits), check.report(emits));
                }
            } finally {
                monitor.destroy();
                monitor.waitFor();
            }
        } finally {
            tabs.forEach(WsClient::close);
        }
        String tag = "{" + user + "}";
        List<String> aboutUser = Files.readAllLines(log).stream()
                .filter(line -> line.contains(tag))
                .toList();
        List<String> fromClients =
                aboutUser.stream().filter(line -> !line.contains(" lua] ")).toList();
        // scripts are called by digest: an append names the stream and carries the event, a refresh
        // names the slots (MONITOR shows the command as the client spelled it)
        List<String> appends = fromClients.stream()
                .filter(line -> line.toLowerCase(Locale.ROOT).contains("\"evalsha\"")
                        && line.contains(tag + ":events\"")
                        && line.contains("\"notification\""))
                .toList();
        List<String> refreshes = fromClients.stream()
                .filter(line ->
                        line.toLowerCase(Locale.ROOT).contains("\"evalsha\"") && line.contains(tag + ":slots\""))
                .toList();
        List<String> others = fromClients.stream()
                .filter(line -> !appends.contains(line) && !refreshes.contains(line))
                .toList();
        System.out.printf(
                "%d emits to 10 tabs on 3 nodes: %d commands from nodes about the user (%d appends, %d slot"
                        + " refreshes, %d other), %.2f run inside the append script per emit%n",
                emits,
                fromClients.size(),
                appends.size(),
                refreshes.size(),
                others.size(),
                (aboutUser.size() - fromClients.size()) / (double) emits);
        assertEquals(emits, appends.size(), "one append script per emit");
        long expiries = aboutUser.stream()
                .filter(line ->
                        line.contains(" lua] ") && line.contains("\"PEXPIRE\" \"switchboard:" + tag + ":events\""))
                .count();
        assertTrue(expiries >= 1, "the first append after the tab opened renews the TTL");
        assertTrue(
                expiries < emits / 5,
                "an append renews the log's TTL only when it fell below the idle TTL, but " + expiries + " of " + emits
                        + " emits did");
        assertEquals(
                0,
                others.size(),
                "no other command about the user while the tabs read, saw e.g. "
                        + others.stream().limit(3).toList());
    }

    @Test
    void aTicketIssuedOnOneNodeIsRedeemedOnceOnAnother() throws Exception {
        String ticket = nodes.ticket("a", "ticket-user");
        try (WsClient onB = WsClient.connect(nodes.ws("b", "ticket=" + ticket), null)) {
            assertEquals("ticket-user", onB.established().userId());
        }
        assertEquals(401, WsClient.refusedStatus(nodes.ws("c", "ticket=" + ticket), null), "used once already");
        assertEquals(401, WsClient.refusedStatus(nodes.ws("b", "ticket=" + ticket), null));
    }

    @Test
    void theEleventhTabOfAUserAcrossTwoNodesIsRefusedUntilOneCloses() throws Exception {
        String user = "many-tabs-across";
        String token = nodes.token(user);
        List<WsClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                tabs.add(WsClient.connect(nodes.ws(i % 2 == 0 ? "a" : "b"), token));
            }
            assertEquals(429, WsClient.refusedStatus(nodes.ws("a"), token), "the 11th, on A");
            assertEquals(429, WsClient.refusedStatus(nodes.ws("b"), token), "the 11th, on B");
            assertEquals(429, WsClient.refusedStatus(nodes.ws("c"), token), "the 11th, on a node without tabs");
            tabs.remove(0).close(); // a tab on A closes: its slot is free on every node
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            WsClient eleventh = null;
            while (eleventh == null) {
                try {
                    eleventh = WsClient.connect(nodes.ws("c"), token);
                } catch (RuntimeException e) {
                    assertTrue(System.nanoTime() < deadline, "the freed slot was never usable on C: " + e);
                    Thread.sleep(50);
                }
            }
            tabs.add(eleventh);
            assertEquals(429, WsClient.refusedStatus(nodes.ws("b"), token), "full again");
        } finally {
            tabs.forEach(WsClient::close);
        }
    }

    @Test
    void anAdminDisconnectOnOneNodeClosesTheUsersTabsOnEveryNodeWithinASecond() throws Exception {
        String user = "to-disconnect";
        String token = nodes.token(user);
        try (WsClient onA = WsClient.connect(nodes.ws("a"), token);
                WsClient onB = WsClient.connect(nodes.ws("b"), token);
                WsClient onC = WsClient.connect(nodes.ws("c"), token);
                WsClient bystander = WsClient.connect(nodes.ws("b"), nodes.token("bystander"))) {
            long start = System.nanoTime();
            HttpResponse<String> answer = ClusterNodes.HTTP.send(
                    HttpRequest.newBuilder(nodes.http("a", "/api/admin/users/" + user + "/connections"))
                            .header("Authorization", "Bearer " + nodes.adminToken())
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, answer.statusCode(), answer.body());
            assertEquals(1008, onA.awaitCloseCode());
            assertEquals(1008, onB.awaitCloseCode());
            assertEquals(1008, onC.awaitCloseCode());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 1_000, "every tab closed within " + millis + " ms");
            bystander.assertOpenWithPong();
        }
    }

    @Test
    void theAdminViewOnAnyNodeListsEveryTabWithItsNodeAndEveryNode() throws Exception {
        String user = "admin-view";
        String token = nodes.token(user);
        try (WsClient onA = WsClient.connect(nodes.ws("a"), token);
                WsClient onB = WsClient.connect(nodes.ws("b"), token);
                WsClient alsoOnB = WsClient.connect(nodes.ws("b"), token)) {
            notifyConfirmed("a", user, "counted");
            JsonNode view = null;
            JsonNode entry = null;
            // a node's readiness and canary show as it last reported them, up to refresh-interval (5 s) old
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (entry == null
                    || entry.path("connections").asInt() != 3
                    || !stream(view.path("nodes"))
                            .allMatch(n -> n.path("ready").asBoolean()
                                    && n.path("connections").asInt() >= 1)) {
                assertTrue(System.nanoTime() < deadline, "the view on C lists the tabs on A and B: " + view);
                view = JSON.readTree(adminGet("c", "/api/admin/connections"));
                entry = null;
                for (JsonNode candidate : view.path("per_user")) {
                    if (user.equals(candidate.path("user_id").asText())) {
                        entry = candidate;
                    }
                }
                Thread.sleep(100);
            }
            assertEquals(
                    List.of("a:1", "b:2"),
                    stream(entry.path("nodes"))
                            .map(n -> n.path("node_id").asText() + ":"
                                    + n.path("connections").asInt())
                            .toList());
            assertEquals(1, entry.path("last_event_id").asLong(), "the log's newest id, from Redis");
            assertFalse(entry.path("internal").asBoolean());
            assertEquals(
                    List.of("a", "b", "c"),
                    stream(view.path("nodes"))
                            .map(n -> n.path("node_id").asText())
                            .toList());
            for (JsonNode node : view.path("nodes")) {
                assertTrue(node.path("ready").asBoolean(), node.toString());
                assertFalse(node.path("version").asText().isBlank(), node.toString());
                assertEquals(
                        "c".equals(node.path("node_id").asText()),
                        node.path("self").asBoolean(),
                        node.toString());
                assertTrue(node.path("connections").asInt() >= 1, "at least its canary: " + node);
            }
            assertTrue(
                    stream(view.path("per_user"))
                            .filter(u -> u.path("user_id").asText().startsWith("switchboard-canary-"))
                            .allMatch(u -> u.path("internal").asBoolean()),
                    "every node's canary is listed as internal: " + view);
        }
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    /**
     * Tabs on A, B and C receive notifications for a few seconds; the activity view on C then has
     * samples of every node, and the dashboard on A draws them with uPlot in Chromium: one line per
     * node in each of its three plots (screenshot {@code target/screenshots/dashboard-cluster.png}).
     */
    @Test
    void theDashboardPlotsTheActivityOfEveryNode() throws Exception {
        String user = "plotted";
        String token = nodes.token(user);
        try (WsClient onA = WsClient.connect(nodes.ws("a"), token);
                WsClient onB = WsClient.connect(nodes.ws("b"), token);
                WsClient onC = WsClient.connect(nodes.ws("c"), token)) {
            for (int second = 0; second < 4; second++) {
                long started = System.nanoTime();
                assertEquals(20, nodes.notifyMany("a", user, "plot-a" + second, 20));
                assertEquals(20, nodes.notifyMany("b", user, "plot-b" + second, 20));
                Thread.sleep(Math.max(0, 1_000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
            }
            assertTrue(
                    SequenceCheck.read(onA, user, 160, Duration.ofSeconds(30)).clean(160));
            assertTrue(
                    SequenceCheck.read(onB, user, 160, Duration.ofSeconds(30)).clean(160));
            assertTrue(
                    SequenceCheck.read(onC, user, 160, Duration.ofSeconds(30)).clean(160));

            JsonNode activity = JSON.readTree(adminGet("c", "/api/admin/activity"));
            assertEquals(1_000, activity.path("sample_interval_ms").asLong());
            assertEquals(600_000, activity.path("window_ms").asLong());
            List<String> ids = new ArrayList<>();
            for (JsonNode node : activity.path("nodes")) {
                ids.add(node.path("node_id").asText());
                assertEquals(
                        "c".equals(node.path("node_id").asText()),
                        node.path("self").asBoolean());
                int samples = node.path("time_ms").size();
                assertTrue(samples >= 3, "samples of " + node);
                assertEquals(samples, node.path("events_per_second").size());
                assertEquals(samples, node.path("connections").size());
                assertEquals(samples, node.path("delivery_p99_ms").size());
            }
            assertEquals(List.of("a", "b", "c"), ids, "every live node, sorted");
            for (String busy : ids) {
                JsonNode node = activity.path("nodes").get(ids.indexOf(busy));
                double most = 0;
                for (JsonNode rate : node.path("events_per_second")) {
                    most = Math.max(most, rate.asDouble());
                }
                assertTrue(most >= 20, busy + " delivered 40 events a second to its tab: " + node);
                assertTrue(
                        node.path("connections")
                                        .get(node.path("connections").size() - 1)
                                        .asInt()
                                >= 2,
                        "the tab and the canary on " + busy + ": " + node);
            }

            try (Browser browser = Browser.open()) {
                browser.get(nodes.http("a", "/admin/"));
                browser.type("#token", nodes.adminToken());
                browser.click("#sign-in-form button[type=submit]");
                for (String plot : List.of("#plot-events", "#plot-connections", "#plot-p99")) {
                    browser.await(
                            "three nodes with samples in " + plot,
                            () -> "a b c".equals(browser.attribute(plot, "data-nodes"))
                                    && Stream.of(browser.attribute(plot, "data-points")
                                                    .split(" "))
                                            .allMatch(points -> Integer.parseInt(points) >= 2));
                    String legend = browser.text(plot + " .u-legend");
                    assertTrue(legend.contains("a (this one)") && legend.contains("b") && legend.contains("c"), legend);
                }
                // each node's line is drawn: the canvas holds pixels of each series' colour
                for (String colour : List.of("#2f6fde", "#d9822b", "#2a9d5c")) {
                    long pixels = browser.<Number>script(PIXELS_OF_COLOUR, "#plot-events canvas", colour)
                            .longValue();
                    assertTrue(pixels > 20, pixels + " pixels of " + colour + " in the events plot");
                }
                browser.script("document.getElementById('activity-title').scrollIntoView()");
                browser.screenshot("dashboard-cluster");
            }
        }
    }

    private static String adminGet(String node, String path) throws Exception {
        HttpResponse<String> answer = ClusterNodes.HTTP.send(
                HttpRequest.newBuilder(nodes.http(node, path))
                        .header("Authorization", "Bearer " + nodes.adminToken())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return answer.body();
    }

    /**
     * A broadcast emits to every user at once: node A, which has none of their tabs, writes the appends
     * to Redis in a few batches, not one write each. Counted with the kernel's count of node A's write
     * system calls ({@code syscw} in {@code /proc/<pid>/io}).
     */
    @Test
    void theAppendsOfABroadcastLeaveTheNodeInAFewWrites() throws Exception {
        int users = 200;
        List<WsClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < users; i++) {
                tabs.add(WsClient.connect(nodes.ws("b"), nodes.token("batched-" + i)));
            }
            long pid = nodes.node("a").process().pid();
            assumeTrue(Files.isReadable(Path.of("/proc", Long.toString(pid), "io")), "the kernel counts writes");
            long writesBefore = writeCalls(pid);
            HttpResponse<String> answer = nodes.post(
                    "a", "{\"broadcast\":true,\"level\":\"info\",\"title\":\"batched\",\"body\":\"to all\"}");
            assertEquals(202, answer.statusCode(), answer.body());
            long writes = writeCalls(pid) - writesBefore;
            for (WsClient tab : tabs) {
                List<ServerFrame> frames = tab.until(Frames.eventOf(Notification.class));
                assertEquals("batched", ((Notification) ((Event) frames.get(frames.size() - 1)).payload()).title());
            }
            System.out.printf("a broadcast to %d users on another node: node A made %d write calls%n", users, writes);
            assertTrue(writes > 0, "the kernel's count of writes moved");
            assertTrue(
                    writes < users / 2,
                    "node A made " + writes + " write calls for a broadcast's " + users
                            + " appends: about one each, they were not batched");
        } finally {
            tabs.forEach(WsClient::close);
        }
    }

    /**
     * Redis refuses one append of a broadcast (its user's log has a key of the wrong type). The others,
     * written in the same batches, are stored and reach their tabs, and their callers are told so: one
     * emit fails on node A, not every emit of the batch.
     */
    @Test
    void anAppendRedisRefusesFailsAloneNotTheOthersWrittenWithIt() throws Exception {
        int users = 100;
        List<WsClient> tabs = new ArrayList<>();
        try (WsClient brokenTab = WsClient.connect(nodes.ws("b"), nodes.token("broken-log"))) {
            for (int i = 0; i < users; i++) {
                tabs.add(WsClient.connect(nodes.ws("b"), nodes.token("written-with-" + i)));
            }
            redis.cli("SET", "switchboard:{broken-log}:meta", "not a hash");
            double failuresBefore = emitFailures("a");
            HttpResponse<String> answer =
                    nodes.post("a", "{\"broadcast\":true,\"level\":\"info\",\"title\":\"refused\",\"body\":\"one\"}");
            assertEquals(503, answer.statusCode(), "one user's log refused the event: " + answer.body());
            for (WsClient tab : tabs) {
                List<ServerFrame> frames = tab.until(Frames.eventOf(Notification.class));
                assertEquals("refused", ((Notification) ((Event) frames.get(frames.size() - 1)).payload()).title());
            }
            assertEquals(
                    1.0,
                    emitFailures("a") - failuresBefore,
                    "only the refused append failed; the others of its batch were stored and told so");
        } finally {
            tabs.forEach(WsClient::close);
            redis.cli("DEL", "switchboard:{broken-log}:meta");
        }
    }

    private static double emitFailures(String node) throws Exception {
        HttpResponse<String> metrics = ClusterNodes.HTTP.send(
                HttpRequest.newBuilder(nodes.http(node, "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return MetricsText.sum(metrics.body(), "switchboard_events_emit_failures_total");
    }

    private static long writeCalls(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
            if (line.startsWith("syscw:")) {
                return Long.parseLong(line.substring("syscw:".length()).trim());
            }
        }
        throw new AssertionError("/proc/" + pid + "/io has no syscw");
    }

    @Test
    void aBroadcastOnOneNodeReachesTheUsersOfEveryNode() throws Exception {
        try (WsClient onA = WsClient.connect(nodes.ws("a"), nodes.token("listener-a"));
                WsClient onB = WsClient.connect(nodes.ws("b"), nodes.token("listener-b"));
                WsClient onC = WsClient.connect(nodes.ws("c"), nodes.token("listener-c"))) {
            HttpResponse<String> answer = nodes.post(
                    "b", "{\"broadcast\":true,\"level\":\"warning\",\"title\":\"maintenance\",\"body\":\"at noon\"}");
            assertEquals(202, answer.statusCode(), answer.body());
            JsonNode accepted = JSON.readTree(answer.body());
            assertTrue(accepted.path("users").asInt() >= 3, answer.body());
            for (WsClient tab : List.of(onA, onB, onC)) {
                List<ServerFrame> frames = tab.until(Frames.eventOf(Notification.class));
                Event event = (Event) frames.get(frames.size() - 1);
                assertEquals("maintenance", ((Notification) event.payload()).title());
            }
        }
    }

    @Test
    void aCredentialThatExpiresClosesItsTabOnItsNodeOnTime() throws Exception {
        try (WsClient onB = WsClient.connect(nodes.ws("b"), nodes.token("short-lived", 3))) {
            long start = System.nanoTime();
            assertEquals(1008, onB.awaitCloseCode());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 4_000, "closed " + millis + " ms after connecting");
        }
    }

    @Test
    void tabsDroppedAtRandomAndResumedOnTheOtherNodeEndWithExactlyTheirUsersEvents() throws Exception {
        int users = 4;
        int events = 1_500;
        List<ResumingTab> tabs = new ArrayList<>();
        List<String> ends = List.of("a", "b");
        try {
            for (int u = 0; u < users; u++) {
                String user = "chaos-across-" + u;
                for (int t = 0; t < 2; t++) {
                    AtomicInteger turn = new AtomicInteger(t);
                    tabs.add(new ResumingTab(
                                    user, nodes.token(user), () -> nodes.ws(ends.get(turn.getAndIncrement() % 2)))
                            .open());
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(users);
            List<Future<Integer>> emitters = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                String user = "chaos-across-" + u;
                String node = u % 2 == 0 ? "a" : "c";
                emitters.add(pool.submit(() -> nodes.notifyMany(node, user, "n", events)));
            }
            Thread dropper = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(ThreadLocalRandom.current().nextInt(50, 300));
                    } catch (InterruptedException e) {
                        return;
                    }
                    tabs.get(ThreadLocalRandom.current().nextInt(tabs.size())).drop();
                }
            });
            dropper.start();
            for (Future<Integer> emitter : emitters) {
                assertEquals(events, emitter.get(180, TimeUnit.SECONDS));
            }
            for (ResumingTab tab : tabs) {
                tab.awaitApplied(events, Duration.ofSeconds(60));
            }
            dropper.interrupt();
            pool.shutdownNow();
            List<String> reports = tabs.stream().map(tab -> tab.report(events)).collect(Collectors.toList());
            reports.forEach(r -> System.out.println("chaos across nodes: " + r));
            assertTrue(tabs.stream().allMatch(tab -> tab.clean(events)), String.join("\n", reports));
            Set<String> visited = new HashSet<>();
            tabs.forEach(tab -> visited.addAll(tab.connections()));
            assertEquals(2, visited.size(), "the tabs resumed on both nodes: " + visited);
            assertTrue(tabs.stream().mapToInt(ResumingTab::reconnects).sum() >= tabs.size(), "tabs were dropped");
        } finally {
            for (ResumingTab tab : tabs) {
                tab.close();
            }
        }
    }

    @Test
    void aKilledSubscriptionIsSeenOrRepairedAndNothingIsLost() throws Exception {
        String user = "pubsub-killed";
        int sent = 0;
        List<String> titles = new ArrayList<>();
        try (ResumingTab tab = new ResumingTab(user, nodes.token(user), () -> nodes.ws("b")).open()) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 30; i++) {
                    titles.add(notifyConfirmed(List.of("a", "c").get(i % 2), user, "k-" + (++sent)));
                }
                assertTrue(Integer.parseInt(redis.cli("CLIENT", "KILL", "TYPE", "pubsub")) >= 3, "every node's");
                // published while node B subscribes again (it waits 100 ms first), and nothing after them:
                // only reading the log once subscribed again finds these
                for (int i = 0; i < 3; i++) {
                    titles.add(notifyConfirmed("a", user, "k-" + (++sent)));
                }
                assertTrue(tab.awaitApplied(sent, Duration.ofSeconds(10)), "round " + round + ": " + tab.report(sent));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (nodes.readyStatus("b") != 200 || nodes.readyStatus("a") != 200) {
                    assertTrue(System.nanoTime() < deadline, "readiness back within 10 s");
                    Thread.sleep(100);
                }
            }
            assertTrue(tab.clean(sent), tab.report(sent));
            assertEquals(titles, tab.titles());
            HttpResponse<String> metrics = ClusterNodes.HTTP.send(
                    HttpRequest.newBuilder(nodes.http("b", "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println("pubsub killed 3 times: node b "
                    + metrics.body()
                            .lines()
                            .filter(line -> line.startsWith("switchboard_cluster_gap_events_total"))
                            .findFirst()
                            .orElse("no gap metric"));
        }
    }

    @Test
    void anEventMissingOnTheChannelIsReadFromTheLogBeforeAnythingNewer() throws Exception {
        String user = "gap-user";
        try (WsClient tab = WsClient.connect(nodes.ws("b"), nodes.token(user))) {
            notifyConfirmed("a", user, "before");
            // as if its pub/sub message were lost: appended to the log, never published
            String injected = "{\"type\":\"notification\",\"event_id\":2,\"user_id\":\"" + user
                    + "\",\"timestamp\":\"2026-12-02T10:00:00.000Z\",\"level\":\"info\",\"title\":\"unpublished\","
                    + "\"body\":\"b\"}";
            assertEquals(
                    "2",
                    redis.cli(
                            "EVAL",
                            "local id = redis.call('HINCRBY', KEYS[2], 'seq', 1) "
                                    + "redis.call('XADD', KEYS[1], id .. '-0', 't', 'notification', 'j', ARGV[1]) "
                                    + "return id",
                            "2",
                            "switchboard:{" + user + "}:events",
                            "switchboard:{" + user + "}:meta",
                            injected));
            notifyConfirmed("c", user, "after");
            List<String> titles = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<ServerFrame> frames = tab.until(Frames.eventOf(Notification.class));
                Event event = (Event) frames.get(frames.size() - 1);
                ids.add(event.eventId());
                titles.add(((Notification) event.payload()).title());
            }
            assertEquals(List.of(1L, 2L, 3L), ids);
            assertEquals(List.of("before", "unpublished", "after"), titles);
        }
    }

    /** As if Redis had restarted without persistence: the user's log is gone, with its epoch. */
    @Test
    void aLogLostInRedisStartsANewEpochAndTabsResynchroniseWithoutAWrongReplay() throws Exception {
        String user = "log-lost";
        String token = nodes.token(user);
        String oldEpoch;
        try (WsClient tab = WsClient.connect(nodes.ws("b"), token)) {
            oldEpoch = tab.established().epoch();
            for (int i = 1; i <= 3; i++) {
                notifyConfirmed("a", user, "before-" + i);
            }
            List<Event> before = new ArrayList<>();
            while (before.size() < 3) {
                before.addAll(Frames.events(tab.until(Frames.eventOf(Notification.class))));
            }
            assertEquals(3, before.get(2).eventId());
            assertEquals("2", redis.cli("DEL", "switchboard:{" + user + "}:events", "switchboard:{" + user + "}:meta"));
            notifyConfirmed("c", user, "after-loss");
            assertEquals(1001, tab.awaitCloseCode(), "the tab is told to resume");
        }
        try (WsClient resumed = WsClient.connect(nodes.ws("a", "epoch=" + oldEpoch + "&last_event_id=3"), token)) {
            String newEpoch = resumed.established().epoch();
            assertFalse(newEpoch.equals(oldEpoch), "a new epoch");
            ServerFrame first = resumed.next();
            assertTrue(first instanceof ResyncRequired, "resync_required, not a replay: " + first);
            assertEquals(newEpoch, ((ResyncRequired) first).epoch());
            assertTrue(resumed.quietFor(Duration.ofMillis(300)), "no event of either log replayed");
            notifyConfirmed("b", user, "next");
            Event next = Frames.events(resumed.until(Frames.eventOf(Notification.class)))
                    .get(0);
            assertEquals(2, next.eventId(), "the new log goes on from its own ids");
            assertEquals("next", ((Notification) next.payload()).title());
        }
    }

    @Test
    void aTabOpenLongerThanTheIdleTtlKeepsItsUsersLog() throws Exception {
        String user = "idle-tab";
        String events = "switchboard:{" + user + "}:events";
        try (WsClient tab = WsClient.connect(nodes.ws("b"), nodes.token(user))) {
            notifyConfirmed("a", user, "first");
            assertEquals(
                    1,
                    Frames.events(tab.until(Frames.eventOf(Notification.class)))
                            .get(0)
                            .eventId());
            Thread.sleep(IDLE_TTL.multipliedBy(2).toMillis()); // no event, the tab stays open
            assertEquals("1", redis.cli("EXISTS", events), "the log outlives its last event while a tab is open");
            notifyConfirmed("c", user, "second");
            Event second =
                    Frames.events(tab.until(Frames.eventOf(Notification.class))).get(0);
            assertEquals(2, second.eventId(), "the same log, not a new epoch");
            assertFalse(tab.closedByServer(), "still open");
        }
        // the last tab is gone: the log lives for the idle TTL from now, then Redis drops it
        long deadline = System.nanoTime() + IDLE_TTL.multipliedBy(3).toNanos();
        while (!"0".equals(redis.cli("EXISTS", events))) {
            assertTrue(System.nanoTime() < deadline, "the log expired after the idle TTL");
            Thread.sleep(200);
        }
    }

    private static String notifyConfirmed(String node, String user, String title) throws Exception {
        HttpResponse<String> answer = nodes.notify(node, user, title);
        assertEquals(202, answer.statusCode(), answer.body());
        return title;
    }
}
