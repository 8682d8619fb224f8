package io.switchboard.tests;

import static io.switchboard.tests.Frames.userMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.bench.RedisServer;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.Notification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged nodes on a Redis Cluster of three masters ({@code quarkus.redis.client-type=cluster}):
 * a user's keys share one slot, users spread over every master, and ids, fan-out, tickets and the
 * connection cap hold as on a single Redis.
 */
@MissionCritical
class RedisClusterTest {

    @TempDir
    private static Path dir;

    private static RedisCluster redis;
    private static ClusterNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisCluster.start(dir.resolve("redis"));
        nodes = new ClusterNodes(dir, redis.hosts(), "-Dquarkus.redis.client-type=cluster");
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

    private static String key(String user, String kind) {
        String tag = user.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
        return "switchboard:{" + tag + "}:" + kind;
    }

    @Test
    void aUsersKeysShareOneSlotAndUsersSpreadOverEveryMaster() throws Exception {
        List<String> users = new ArrayList<>(List.of("team{7}%/ana"));
        Set<Integer> mastersUsed = new HashSet<>();
        mastersUsed.add(redis.masters().indexOf(redis.masterOf(key(users.get(0), "events"))));
        for (int i = 0; mastersUsed.size() < 3; i++) {
            assertTrue(i < 100, "users land on every master");
            String user = "spread-" + i;
            if (mastersUsed.add(redis.masters().indexOf(redis.masterOf(key(user, "events"))))) {
                users.add(user);
            }
        }
        for (String user : users) {
            try (WsClient tab = WsClient.connect(nodes.ws("b"), nodes.token(user))) {
                assertEquals(202, nodes.notify("a", user, "to " + user).statusCode());
                Event event = Frames.events(tab.until(Frames.eventOf(Notification.class)))
                        .get(0);
                assertEquals(1, event.eventId());
                assertEquals(user, event.userId());
                assertEquals("to " + user, ((Notification) event.payload()).title());

                int slot = redis.slotOf(key(user, "events"));
                for (String kind : List.of("meta", "slots", "channel")) {
                    assertEquals(slot, redis.slotOf(key(user, kind)), user + "'s " + kind + " in the slot of its log");
                }
                RedisServer master = redis.masterOf(key(user, "events"));
                assertEquals("1", master.cli("XLEN", key(user, "events")), user + "'s log on its master");
                assertEquals("1", master.cli("HGET", key(user, "meta"), "seq"));
                String slots = master.cli("HGET", key(user, "slots"), "b");
                assertTrue(slots.matches("1:\\d+"), "one slot held on node b until an expiry: " + slots);
            }
        }
    }

    @Test
    void twoNodesEmittingForOneUserAtOnceAssignIdsOneToFourThousand() throws Exception {
        String user = "cluster-ids-race";
        int perNode = 2_000;
        try (WsClient reader = WsClient.connect(nodes.ws("b"), nodes.token(user))) {
            nodes.notifyAtOnce(user, perNode, "a", "b");
            SequenceCheck check = SequenceCheck.read(reader, user, 2L * perNode, Duration.ofSeconds(60));
            assertTrue(check.clean(2L * perNode), check.report(2L * perNode));
            assertEquals(
                    Integer.toString(2 * perNode),
                    redis.masterOf(key(user, "meta")).cli("HGET", key(user, "meta"), "seq"));
        }
    }

    @Test
    void aRunStartedOnOneNodeReachesTheTabOnTheOtherWithTheSameIds() throws Exception {
        String user = "cluster-run";
        String token = nodes.token(user);
        try (WsClient onA = WsClient.connect(nodes.ws("a"), token);
                WsClient onB = WsClient.connect(nodes.ws("b"), token)) {
            onB.send(userMessage("thread-1", "What is 2 + 3 * 4?", "req-1"));
            List<Event> fromA = Frames.events(onA.until(Frames.runEnd()));
            List<Event> fromB = Frames.events(onB.until(Frames.runEnd()));
            assertEquals("agent_completed", fromA.get(fromA.size() - 1).type());
            for (int i = 0; i < fromA.size(); i++) {
                assertEquals(i + 1, fromA.get(i).eventId(), "ids 1..N in order");
            }
            assertEquals(fromA, fromB);
        }
    }

    @Test
    void aTicketFromOneNodeIsRedeemedOnceOnTheOther() throws Exception {
        String ticket = nodes.ticket("a", "cluster-ticket-user");
        try (WsClient onB = WsClient.connect(nodes.ws("b", "ticket=" + ticket), null)) {
            assertEquals("cluster-ticket-user", onB.established().userId());
        }
        assertEquals(401, WsClient.refusedStatus(nodes.ws("a", "ticket=" + ticket), null), "used once already");
    }

    @Test
    void theEleventhTabAcrossBothNodesIsRefused() throws Exception {
        String user = "cluster-many-tabs";
        String token = nodes.token(user);
        List<WsClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                tabs.add(WsClient.connect(nodes.ws(i % 2 == 0 ? "a" : "b"), token));
            }
            assertEquals(429, WsClient.refusedStatus(nodes.ws("a"), token));
            assertEquals(429, WsClient.refusedStatus(nodes.ws("b"), token));
        } finally {
            tabs.forEach(WsClient::close);
        }
    }
}
