package io.switchboard.tests;

import static io.switchboard.tests.Frames.payload;
import static io.switchboard.tests.Frames.userMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.AgentStarted;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.RunEventPayload;
import io.switchboard.websocket.api.ServerFrame;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@MissionCritical
class DeliveryIsolationTest {

    @TestHTTPResource("/ws")
    URI endpoint;

    @Test
    void everyTabOfTheUserGetsEveryEventOnceInOrderAndNobodyElseGetsAny() {
        try (WsClient tab1 = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("two-tabs"));
                WsClient tab2 = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("two-tabs"));
                WsClient other = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("bystander"))) {
            tab1.send(userMessage("t", "what time is it in Europe/Paris?", null));
            List<ServerFrame> first = tab1.until(Frames.runEnd());
            List<ServerFrame> second = tab2.until(Frames.runEnd());
            assertEquals(first, second, "both tabs see the same events");
            List<Event> events = Frames.events(first);
            for (int i = 0; i < events.size(); i++) {
                assertEquals(
                        tab1.established().lastEventId() + i + 1, events.get(i).eventId());
            }
            // The pong comes after anything queued before it: nothing else was on its way.
            tab1.assertOpenWithPong();
            tab2.assertOpenWithPong();
            other.assertOpenWithPong();
        }
    }

    @Test
    void fiftyUsersRunningAtOnceSeeNothingOfEachOther() throws Exception {
        int users = 50;
        List<WsClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(users);
        try {
            for (int i = 0; i < users; i++) {
                clients.add(WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("crowd-" + i)));
            }
            for (int i = 0; i < users; i++) {
                clients.get(i).send(userMessage("t", "what is " + i + " * 3", null));
            }
            List<Future<List<ServerFrame>>> results = new ArrayList<>();
            for (WsClient client : clients) {
                results.add(pool.submit(() -> client.until(Frames.runEnd())));
            }
            for (int i = 0; i < users; i++) {
                List<ServerFrame> frames = results.get(i).get();
                String runId = payload(frames.get(0), AgentStarted.class).runId();
                assertEquals(7, frames.size(), () -> "frames " + frames);
                for (Event event : Frames.events(frames)) {
                    assertEquals("crowd-" + i, event.userId());
                    assertEquals(runId, ((RunEventPayload) event.payload()).runId());
                }
                assertEquals(
                        i + " * 3 = " + (i * 3),
                        payload(frames.get(6), AgentCompleted.class).finalResponse());
            }
            for (WsClient client : clients) {
                client.assertOpenWithPong();
            }
        } finally {
            pool.shutdownNow();
            clients.forEach(WsClient::close);
        }
    }
}
