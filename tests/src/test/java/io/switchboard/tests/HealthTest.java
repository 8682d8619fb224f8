package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
@MissionCritical
class HealthTest {

    @Test
    void readinessIncludesTheSingleManagerCheckAndItIsUp() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("websocket-ssot"))
                .body("checks.find { it.name == 'websocket-ssot' }.status", equalTo("UP"))
                .body(
                        "checks.find { it.name == 'websocket-ssot' }.data.implementations",
                        equalTo("io.switchboard.websocket.core.internal.UserWebSocketManager"))
                .body("checks.find { it.name == 'websocket-ssot' }.data.factories", equalTo(1))
                .body(
                        "checks.find { it.name == 'websocket-ssot' }.data.max_managers_per_user",
                        Matchers.lessThanOrEqualTo(1));
    }

    @Test
    void theDeliveryCanaryKeepsReadinessUpAndLivenessIsUp() throws InterruptedException {
        Await.until(
                Duration.ofSeconds(15),
                () -> given().when()
                                .get("/q/health/ready")
                                .then()
                                .extract()
                                .<Integer>path("checks.find { it.name == 'websocket-delivery' }.data.probes_received")
                        >= 1,
                "no probe arrived");
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
    void theViolationCounterIsPublished() {
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("switchboard_ssot_violations_total"))
                .body(containsString("switchboard_managers"));
    }
}
