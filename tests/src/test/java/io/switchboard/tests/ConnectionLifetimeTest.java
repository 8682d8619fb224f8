package io.switchboard.tests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import io.switchboard.app.DevKeys;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.NotificationLevel;
import io.switchboard.websocket.api.ResyncRequired;
import io.switchboard.websocket.core.WebSocketManager;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ShortTimersProfile.class)
@MissionCritical
class ConnectionLifetimeTest {

    @TestHTTPResource("/ws")
    URI endpoint;

    @Inject
    WebSocketManagerFactory managers;

    @Inject
    WebSocketManagerRegistry registry;

    private int connections(String user) {
        return registry.user(user).map(u -> u.connections()).orElse(0);
    }

    private static Notification note(String title) {
        return new Notification(NotificationLevel.INFO, title, "body", null);
    }

    @Test
    void aClientThatStopsAnsweringHeartbeatsIsClosedAndDeregistered() throws Exception {
        try (WsClient silent = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("silent"))) {
            assertEquals(1_000, silent.established().heartbeatIntervalMs());
            silent.pause(); // it no longer reads, so it answers no ping
            await("the silent client was not deregistered")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> connections("silent") == 0);
            silent.unpause();
            assertEquals(1001, silent.awaitCloseCode());
        }
    }

    @Test
    void aClientThatAnswersHeartbeatsStaysOpen() throws Exception {
        try (WsClient lively = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("lively"))) {
            Thread.sleep(3_500);
            lively.assertOpenWithPong();
        }
    }

    @Test
    void tabsOpenedTogetherAreNotAllPingedTogether() throws Exception {
        List<WsClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < 24; i++) {
                tabs.add(WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("crowd-" + i)));
            }
            await("a tab was not pinged within its first interval")
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> tabs.stream().allMatch(tab -> tab.firstPingAfterMillis() >= 0));
            // each tab's first ping comes at a random point of its first 1 s interval, not after a full one
            LongSummaryStatistics delays =
                    tabs.stream().mapToLong(WsClient::firstPingAfterMillis).summaryStatistics();
            assertTrue(delays.getMax() - delays.getMin() >= 500, "first pings came after " + delays);
        } finally {
            tabs.forEach(WsClient::close);
        }
    }

    @Test
    void aConnectionIsClosedWith1008WithinASecondOfItsTokenExpiring() throws Exception {
        Instant expiry = Instant.now().plusSeconds(3);
        String token =
                Jwt.issuer(Tokens.ISSUER).subject("expiring").expiresAt(expiry).sign(DevKeys.privateKey());
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint), token)) {
            int code = client.awaitCloseCode();
            long late = Duration.between(Instant.ofEpochSecond(expiry.getEpochSecond()), Instant.now())
                    .toMillis();
            assertEquals(1008, code);
            assertTrue(late < 1_000, "closed " + late + " ms after expiry");
        }
    }

    @Test
    void anAdministratorsDisconnectClosesEveryTabWithin1008AndDeliversNothingAfter() throws Exception {
        try (WsClient tab1 = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("kicked"));
                WsClient tab2 = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("kicked"))) {
            WebSocketManager manager = managers.managerFor("kicked");
            long start = System.nanoTime();
            assertEquals(2, manager.disconnectAll("disconnected by an administrator"));
            manager.emit(note("after the disconnect"));
            assertEquals(1008, tab1.awaitCloseCode());
            assertEquals(1008, tab2.awaitCloseCode());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1_000);
            assertEquals(null, tab1.poll(), "no event after the close decision");
            assertEquals(null, tab2.poll(), "no event after the close decision");
        }
    }

    @Test
    void aDroppedLogIsNeverContinuedSilently() throws Exception {
        WebSocketManager first = managers.managerFor("forgotten");
        first.emit(note("one"));
        first.emit(note("two"));
        String oldEpoch = first.epoch();
        await("the idle log was not dropped")
                .atMost(Duration.ofSeconds(10))
                .until(() -> registry.user("forgotten").isEmpty());
        WebSocketManager second = managers.managerFor("forgotten");
        second.emit(note("new one"));
        second.emit(note("new two"));
        second.emit(note("new three"));
        assertNotEquals(oldEpoch, second.epoch());
        try (WsClient client = WsClient.connect(
                Endpoints.ws(endpoint, "epoch=" + oldEpoch + "&last_event_id=2"), Tokens.valid("forgotten"))) {
            assertEquals(second.epoch(), client.established().epoch());
            assertEquals(new ResyncRequired(second.epoch(), 2, 1), client.next());
            second.emit(note("live"));
            assertEquals(4, assertInstanceOf(Event.class, client.next()).eventId());
        }
    }

    @Test
    void thousandsOfUsersComingAndGoingLeaveNothingBehind() throws Exception {
        long heapBefore = Heap.usedAfterGc();
        int users = 2_000;
        List<WsClient> batch = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            batch.add(WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("churn-" + i)));
            managers.managerFor("churn-" + i).emit(note("hello " + i));
            if (batch.size() == 100) {
                batch.forEach(WsClient::close);
                batch.clear();
            }
        }
        batch.forEach(WsClient::close);
        await("managers were left behind")
                .atMost(Duration.ofSeconds(20))
                .until(() -> IntStream.range(0, users)
                        .allMatch(i -> registry.user("churn-" + i).isEmpty()));
        long heapAfter = Heap.usedAfterGc();
        System.out.printf(
                "churn: %d users came and went; managers left %d; heap %+d KB%n",
                users, registry.managerCount(), (heapAfter - heapBefore) >> 10);
        assertTrue(heapAfter - heapBefore < (8 << 20), "heap grew by " + (heapAfter - heapBefore));
    }
}
