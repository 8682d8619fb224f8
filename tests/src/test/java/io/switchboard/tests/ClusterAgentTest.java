package io.switchboard.tests;

import static io.switchboard.tests.Frames.userMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.bench.RedisServer;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.RunStatus;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code openai} agent on two packaged nodes sharing a Redis, against {@link FakeModelServer}: a
 * thread's conversation is kept in Redis, so its next message continues it on the other node.
 */
@MissionCritical
class ClusterAgentTest {
    @TempDir
    private static Path dir;

    private static RedisServer redis;
    private static FakeModelServer model;
    private static ClusterNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
        model = new FakeModelServer();
        Map<String, String> settings = model.start();
        String[] properties = settings.entrySet().stream()
                .filter(e -> e.getKey().startsWith("switchboard."))
                .map(e -> "-D" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        nodes = new ClusterNodes(dir, redis.uri(), properties);
        nodes.start("a");
        nodes.start("b");
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
        if (model != null) {
            model.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aThreadContinuedOnAnotherNodeRemembersItsEarlierTurns() throws Exception {
        String user = "remembered";
        String token = nodes.token(user);
        try (WsClient onA = WsClient.connect(nodes.ws("a"), token);
                WsClient onB = WsClient.connect(nodes.ws("b"), token)) {
            onA.send(userMessage("m1", "plain first on a", "one"));
            List<Event> first = Frames.events(onA.until(Frames.runEnd()));
            assertEquals(
                    RunStatus.COMPLETED,
                    ((AgentCompleted) first.get(first.size() - 1).payload()).status());
            onB.until(Frames.runEnd()); // the tab on B saw the first run too

            onB.send(userMessage("m1", "plain second on b", "two"));
            List<Event> second = Frames.events(onB.until(Frames.runEnd()));
            assertEquals(
                    RunStatus.COMPLETED,
                    ((AgentCompleted) second.get(second.size() - 1).payload()).status());

            FakeModelServer.Received asked = FakeModelServer.REQUESTS.stream()
                    .filter(r -> r.lastUserMessage().equals("plain second on b"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(
                    List.of(
                            "system",
                            "user:plain first on a",
                            "assistant:Hello! How can I help?",
                            "user:plain second on b"),
                    asked.body().getJsonArray("messages").stream()
                            .map(JsonObject.class::cast)
                            .map(m -> "system".equals(m.getString("role"))
                                    ? "system"
                                    : m.getString("role") + ":" + m.getString("content"))
                            .toList(),
                    "node B sent the turn that ran on node A");
            String key = "switchboard:{" + user + "}:memory:m1";
            assertEquals("2", redis.cli("LLEN", key), "both turns are in Redis");
            long ttl = Long.parseLong(redis.cli("PTTL", key));
            assertTrue(ttl > 23 * 3_600_000L, "kept for history-ttl (24 h): " + ttl);
        }
    }
}
