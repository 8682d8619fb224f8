package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.bench.RedisServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes and Redis fail while a stream runs: a node is killed, every node is restarted in turn, Redis
 * stops for ten seconds. Tabs resume on the nodes left and end with exactly 1..N, and every event an
 * emit was told is stored arrives.
 */
@MissionCritical
class ClusterFailureTest {
    @TempDir
    Path dir;

    private RedisServer redis;
    private ClusterNodes nodes;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        if (nodes != null) {
            nodes.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private void startCluster(String... names) throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
        nodes = new ClusterNodes(dir, redis.uri());
        for (String name : names) {
            nodes.start(name);
        }
    }

    /** Each connection goes to the next live node in turn, starting with {@code first}. */
    private Supplier<URI> roundRobin(String first) {
        AtomicInteger turn = new AtomicInteger();
        return () -> {
            int n = turn.getAndIncrement();
            List<String> live = nodes.names();
            if (n == 0 && live.contains(first)) {
                return nodes.ws(first);
            }
            return nodes.ws(live.get(n % live.size()));
        };
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** The last id Redis assigned in the user's log. */
    private long newestId(String user) throws Exception {
        return Long.parseLong(redis.cli("HGET", "switchboard:{" + user + "}:meta", "seq"));
    }

    private static void assertEveryConfirmedEventArrived(NotificationStream stream, ResumingTab tab) {
        Set<String> missing = new HashSet<>(stream.confirmed());
        missing.removeAll(tab.titles());
        assertEquals(Set.of(), missing, "confirmed emits that never arrived");
    }

    private static void assertEachIsAClearProblemNamingRedis(List<String> refusals) {
        for (String refusal : refusals) {
            assertTrue(
                    refusal.contains(": 503 application/problem+json") && refusal.contains("Redis"),
                    "a clear 503 problem naming Redis: " + refusal);
        }
    }

    @Test
    void tabsOfAKilledNodeResumeOnAnotherAndEndWithExactlyOneToN() throws Exception {
        startCluster("a", "b", "c");
        String user = "survivor";
        ResumingTab first = closing(new ResumingTab(user, nodes.token(user), roundRobin("a")).open());
        ResumingTab second = closing(new ResumingTab(user, nodes.token(user), roundRobin("a")).open());
        NotificationStream stream = closing(new NotificationStream(nodes, user, "s", Duration.ofMillis(10)).start());
        Thread.sleep(2_000);
        nodes.kill("a");
        Thread.sleep(3_000);
        stream.close();
        long n = newestId(user);
        assertTrue(n > 100, "the stream ran: " + n);
        for (ResumingTab tab : List.of(first, second)) {
            assertTrue(tab.awaitApplied(n, Duration.ofSeconds(30)), tab.report(n));
            assertTrue(tab.clean(n), tab.report(n));
            assertTrue(tab.reconnects() >= 1, "the tab was on the killed node: " + tab.report(n));
            assertEveryConfirmedEventArrived(stream, tab);
        }
    }

    @Test
    void aRollingRestartOfEveryNodeResynchronisesNoTabAndLosesNothing() throws Exception {
        startCluster("a", "b", "c");
        String user = "rolling";
        List<ResumingTab> tabs = new ArrayList<>();
        for (String start : List.of("a", "b", "c")) {
            tabs.add(closing(new ResumingTab(user, nodes.token(user), roundRobin(start)).open()));
        }
        NotificationStream stream = closing(new NotificationStream(nodes, user, "r", Duration.ofMillis(10)).start());
        for (String name : List.of("a", "b", "c")) {
            Thread.sleep(1_000);
            nodes.stop(name);
            nodes.start(name);
        }
        Thread.sleep(1_000);
        stream.close();
        long n = newestId(user);
        for (ResumingTab tab : tabs) {
            assertTrue(tab.awaitApplied(n, Duration.ofSeconds(30)), tab.report(n));
            assertEquals(0, tab.resyncs(), "no resync_required: " + tab.report(n));
            assertTrue(tab.clean(n), tab.report(n));
            assertTrue(tab.reconnects() >= 1, tab.report(n));
            assertEveryConfirmedEventArrived(stream, tab);
        }
    }

    @Test
    void redisStoppedForTenSecondsFailsEmitsClearlyTurnsReadinessDownAndLosesNoConfirmedEvent() throws Exception {
        startCluster("a", "b");
        String user = "outage";
        ResumingTab tab = closing(new ResumingTab(user, nodes.token(user), roundRobin("b")).open());
        NotificationStream stream = closing(new NotificationStream(nodes, user, "o", Duration.ofMillis(20)).start());
        Thread.sleep(2_000);
        int beforeOutage = stream.confirmed().size();
        redis.stop();
        long stopped = System.nanoTime();
        for (String name : List.of("a", "b")) {
            while (nodes.readyStatus(name) != 503) {
                assertTrue(System.nanoTime() - stopped < Duration.ofSeconds(10).toNanos(), name + " still ready");
                Thread.sleep(100);
            }
        }
        HttpResponse<String> ready = nodes.readiness("a");
        assertTrue(ready.body().contains("switchboard-cluster") && ready.body().contains("reason"), ready.body());
        Thread.sleep(Math.max(0, Duration.ofSeconds(10).toMillis() - (System.nanoTime() - stopped) / 1_000_000));
        redis.start();
        long restarted = System.nanoTime();
        for (String name : List.of("a", "b")) {
            while (nodes.readyStatus(name) != 200) {
                assertTrue(
                        System.nanoTime() - restarted < Duration.ofSeconds(30).toNanos(),
                        name + " never ready again: " + nodes.readiness(name).body());
                Thread.sleep(100);
            }
        }
        Thread.sleep(2_000);
        stream.close();
        assertTrue(stream.confirmed().size() > beforeOutage + 10, "emits succeed again after the outage");
        List<String> refusals = stream.refusals();
        assertTrue(!refusals.isEmpty(), "emits during the outage were refused");
        assertEachIsAClearProblemNamingRedis(refusals);
        long n = newestId(user);
        assertTrue(tab.awaitApplied(n, Duration.ofSeconds(30)), tab.report(n));
        assertTrue(tab.clean(n), tab.report(n));
        assertEquals(0, tab.reconnects(), "the tab stayed open through the outage: " + tab.report(n));
        assertEveryConfirmedEventArrived(stream, tab);
    }

    /**
     * Nodes call their scripts by digest; Redis forgetting them ({@code SCRIPT FLUSH}) while the
     * connections stay up fails at most the commands already on the way, and the nodes load them again.
     */
    @Test
    void scriptsFlushedFromRedisAreLoadedAgainAndNoConfirmedEventIsLost() throws Exception {
        startCluster("a", "b");
        String user = "flushed";
        ResumingTab tab = closing(new ResumingTab(user, nodes.token(user), roundRobin("b")).open());
        NotificationStream stream = closing(new NotificationStream(nodes, user, "f", Duration.ofMillis(10)).start());
        Thread.sleep(1_000);
        assertEquals("OK", redis.cli("SCRIPT", "FLUSH"));
        int atFlush = stream.confirmed().size();
        Thread.sleep(2_000);
        stream.close();
        assertTrue(
                stream.confirmed().size() > atFlush + 50,
                "emits go on after the flush: " + (stream.confirmed().size() - atFlush) + " confirmed, "
                        + stream.refusals().size() + " refused, such as "
                        + stream.refusals().stream().limit(2).toList());
        assertEachIsAClearProblemNamingRedis(stream.refusals());
        long n = newestId(user);
        assertTrue(tab.awaitApplied(n, Duration.ofSeconds(30)), tab.report(n));
        assertTrue(tab.clean(n), tab.report(n));
        assertEveryConfirmedEventArrived(stream, tab);
    }
}
