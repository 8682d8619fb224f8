package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.websocket.api.ConnectionEstablished;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.NotificationLevel;
import io.switchboard.websocket.api.ResyncRequired;
import io.switchboard.websocket.core.WebSocketManager;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@MissionCritical
class ResumeTest {

    @TestHTTPResource("/ws")
    URI endpoint;

    @Inject
    WebSocketManagerFactory managers;

    private WebSocketManager emit(String user, int count) {
        WebSocketManager manager = managers.managerFor(user);
        for (int i = 0; i < count; i++) {
            manager.emit(new Notification(NotificationLevel.INFO, "n" + i, "body", null));
        }
        return manager;
    }

    private WsClient resume(String user, String query) {
        return WsClient.connect(Endpoints.ws(endpoint, query), Tokens.valid(user));
    }

    private static long nextEventId(WsClient client) {
        return assertInstanceOf(Event.class, client.next()).eventId();
    }

    @Test
    void resumingFromZeroBeforeAnyEventStartsLiveWithoutResync() {
        try (WsClient client = resume("resume-empty", "last_event_id=0")) {
            assertEquals(0, client.established().lastEventId());
            emit("resume-empty", 2);
            assertEquals(1, nextEventId(client));
            assertEquals(2, nextEventId(client));
        }
    }

    @Test
    void resumingInTheMiddleReplaysTheRestThenGoesLive() {
        WebSocketManager manager = emit("resume-middle", 10);
        try (WsClient client = resume("resume-middle", "epoch=" + manager.epoch() + "&last_event_id=4")) {
            ConnectionEstablished established = client.established();
            assertEquals(10, established.lastEventId());
            assertEquals(manager.epoch(), established.epoch());
            for (long id = 5; id <= 10; id++) {
                assertEquals(id, nextEventId(client));
            }
            emit("resume-middle", 1);
            assertEquals(11, nextEventId(client));
        }
    }

    @Test
    void resumingWithoutEpochMeansTheCurrentOne() {
        emit("resume-no-epoch", 3);
        try (WsClient client = resume("resume-no-epoch", "last_event_id=1")) {
            assertEquals(2, nextEventId(client));
            assertEquals(3, nextEventId(client));
        }
    }

    @Test
    void aGapThatIsNoLongerRetainedAsksForAResyncAndReplaysNothing() throws InterruptedException {
        WebSocketManager manager = emit("resume-too-old", 1_005);
        try (WsClient client = resume("resume-too-old", "epoch=" + manager.epoch() + "&last_event_id=2")) {
            assertEquals(new ResyncRequired(manager.epoch(), 2, 6), client.next());
            assertEquals(true, client.quietFor(Duration.ofMillis(300)), "no partial replay");
            emit("resume-too-old", 1);
            assertEquals(1_006, nextEventId(client));
        }
    }

    @Test
    void anIdAheadOfTheLogAsksForAResync() {
        WebSocketManager manager = emit("resume-ahead", 3);
        try (WsClient client = resume("resume-ahead", "epoch=" + manager.epoch() + "&last_event_id=50")) {
            assertEquals(new ResyncRequired(manager.epoch(), 50, 1), client.next());
            client.assertOpenWithPong();
        }
    }

    @Test
    void aForeignEpochAsksForAResync() {
        WebSocketManager manager = emit("resume-epoch", 3);
        try (WsClient client = resume("resume-epoch", "epoch=some-old-epoch&last_event_id=2")) {
            assertEquals(new ResyncRequired(manager.epoch(), 2, 1), client.next());
            client.assertOpenWithPong();
        }
    }

    @Test
    void aMalformedResumePointIsRefused() {
        assertEquals(
                400, WsClient.refusedStatus(Endpoints.ws(endpoint, "last_event_id=-1"), Tokens.valid("resume-bad")));
        assertEquals(
                400, WsClient.refusedStatus(Endpoints.ws(endpoint, "last_event_id=abc"), Tokens.valid("resume-bad")));
    }
}
