package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.switchboard.websocket.core.WebSocketManager;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import jakarta.inject.Inject;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Readiness follows real delivery: block the canary's path and it goes DOWN with a reason, then UP again. */
@QuarkusTest
@TestProfile(CanaryProfile.class)
@MissionCritical
class DeliveryCanaryTest {
    /*
     * Holding the canary manager's lock can also stall the event loop that serves the canary's
     * connection, if it was about to read the log; a request that lands on that loop waits until the
     * lock is released. So each request gets a short read timeout, and one that times out counts as
     * not answered yet: the next one opens a new connection, which goes to another loop.
     */
    private static final RestAssuredConfig SHORT_READ = RestAssuredConfig.config()
            .httpClient(HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 1_000));

    private static final String CHECK = "checks.find { it.name == 'websocket-delivery' }";

    @Inject
    WebSocketManagerFactory managers;

    @TestHTTPResource("/ws")
    URI endpoint;

    /** The readiness response, or {@code null} when it did not come within the short timeout. */
    private static Response readiness() {
        try {
            return given().config(SHORT_READ).when().get("/q/health/ready");
        } catch (Exception e) { // REST Assured throws the checked SocketTimeoutException undeclared
            if (e instanceof SocketTimeoutException || e.getCause() instanceof SocketTimeoutException) {
                return null;
            }
            throw e;
        }
    }

    private static Response awaitReadiness(int status, Duration limit) throws InterruptedException {
        AtomicReference<Response> last = new AtomicReference<>();
        await("readiness did not become " + status).atMost(limit).until(() -> {
            Response response = readiness();
            last.set(response);
            return response != null && response.statusCode() == status;
        });
        return last.get();
    }

    @Test
    void readinessGoesDownWhenProbesStopArrivingAndUpWhenTheyArriveAgain() throws Exception {
        awaitReadiness(200, Duration.ofSeconds(15));
        WebSocketManager canary = managers.managerFor("switchboard-canary");
        synchronized (canary) { // the manager appends under its own lock: holding it stalls the canary's path
            String reason = awaitReadiness(503, Duration.ofSeconds(10)).path(CHECK + ".data.reason");
            assertTrue(reason.startsWith("no probe event has arrived for"), reason);
        }
        awaitReadiness(200, Duration.ofSeconds(10));
    }

    @Test
    void noTokenCanClaimTheCanarysUser() {
        String token = Tokens.valid("switchboard-canary");
        assertEquals(401, WsClient.refusedStatus(Endpoints.ws(endpoint), token));
        given().auth().oauth2(token).when().post("/api/ws/tickets").then().statusCode(401);
    }
}
