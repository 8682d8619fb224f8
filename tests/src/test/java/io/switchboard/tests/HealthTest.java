package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@MissionCritical
class HealthTest {

    @Test
    void theSingleManagerCheckIsAWellnessCheckThatNamesTheOneImplementation() {
        given().when()
                .get("/q/health/well")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'websocket-managers' }.status", equalTo("UP"))
                .body(
                        "checks.find { it.name == 'websocket-managers' }.data.implementations",
                        equalTo("io.switchboard.websocket.core.internal.UserWebSocketManager"))
                .body("checks.find { it.name == 'websocket-managers' }.data.factories", equalTo(1));
        // readiness is about serving traffic, which a misbehaving consumer does not stop
        given().when().get("/q/health/ready").then().body("checks.name", not(hasItem("websocket-managers")));
    }

    @Test
    void theDeliveryCanaryKeepsReadinessUpAndLivenessIsUp() throws InterruptedException {
        await("no probe arrived")
                .atMost(Duration.ofSeconds(15))
                .until(() -> given().when()
                                .get("/q/health/ready")
                                .then()
                                .extract()
                                .<Integer>path("checks.find { it.name == 'websocket-delivery' }.data.probes_received")
                        >= 1);
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'websocket-delivery' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'websocket-delivery' }.data.canary_connected", equalTo(true));
        given().when()
                .get("/q/health/live")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'websocket-event-loop' }.status", equalTo("UP"));
    }

    @Test
    void theRetiredManagerCounterIsPublished() {
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("switchboard_managers_retired_uses_total"))
                .body(containsString("switchboard_managers "));
    }
}
