package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.websocket.core.WebSocketManager;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Readiness follows real delivery: block the canary's path and it goes DOWN with a reason, then UP again. */
@QuarkusTest
@TestProfile(CanaryProfile.class)
@MissionCritical
class DeliveryCanaryTest {
    private static final String CHECK = "checks.find { it.name == 'websocket-delivery' }";

    @Inject
    WebSocketManagerFactory managers;

    @TestHTTPResource("/ws")
    URI endpoint;

    private static void awaitReadiness(int status, Duration limit) throws InterruptedException {
        Await.until(limit, () -> given().when().get("/q/health/ready").statusCode() == status,
                "readiness did not become " + status);
    }

    @Test
    void readinessGoesDownWhenProbesStopArrivingAndUpWhenTheyArriveAgain() throws Exception {
        awaitReadiness(200, Duration.ofSeconds(15));
        WebSocketManager canary = managers.managerFor("switchboard-canary");
        synchronized (canary) { // the manager appends under its own lock: holding it stalls the canary's path
            awaitReadiness(503, Duration.ofSeconds(10));
            String reason = given().when().get("/q/health/ready").then().statusCode(503)
                    .extract().path(CHECK + ".data.reason");
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
