package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@MissionCritical
class AdminApiTest {
    private static final String ADMIN = Tokens.valid("operator", "admin");

    @TestHTTPResource("/ws")
    URI endpoint;

    @Test
    void theConnectionsListShowsEachConnectedUser() {
        try (WsClient one = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("listed"));
                WsClient two = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("listed"))) {
            given().auth()
                    .oauth2(ADMIN)
                    .when()
                    .get("/api/admin/connections")
                    .then()
                    .statusCode(200)
                    .body("per_user.user_id", hasItem("listed"))
                    .body("per_user.find { it.user_id == 'listed' }.connections", equalTo(2))
                    .body("per_user.find { it.user_id == 'listed' }.last_event_id", equalTo(0));
        }
    }

    @Test
    void disconnectingAUserClosesEveryTabWith1008WithinASecond() {
        try (WsClient one = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("unwanted"));
                WsClient two = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("unwanted"))) {
            long start = System.nanoTime();
            given().auth()
                    .oauth2(ADMIN)
                    .when()
                    .delete("/api/admin/users/unwanted/connections")
                    .then()
                    .statusCode(204);
            assertEquals(1008, one.awaitCloseCode());
            assertEquals(1008, two.awaitCloseCode());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1_000);
        }
        given().auth()
                .oauth2(ADMIN)
                .when()
                .delete("/api/admin/users/nobody-at-all/connections")
                .then()
                .statusCode(204);
    }

    @Test
    void theActivityOfASingleNodeIsThatNodeAlone() {
        given().auth()
                .oauth2(ADMIN)
                .when()
                .get("/api/admin/activity")
                .then()
                .statusCode(200)
                .body("sample_interval_ms", equalTo(5000))
                .body("window_ms", equalTo(600000))
                .body("nodes.size()", equalTo(1))
                .body("nodes[0].self", equalTo(true));
    }

    @Test
    void theComplianceReportSaysTheRuleHolds() {
        given().auth()
                .oauth2(ADMIN)
                .when()
                .get("/api/admin/compliance")
                .then()
                .statusCode(200)
                .body("compliant", equalTo(true))
                .body(
                        "implementations",
                        equalTo(List.of("io.switchboard.websocket.core.internal.UserWebSocketManager")))
                .body("factories", equalTo(1))
                .body("retired_manager_uses", equalTo(0))
                .body("violations.size()", equalTo(0));
    }

    @Test
    void theServerThatShipsHasNoBenchmarkLoadDriver() {
        given().auth()
                .oauth2(ADMIN)
                .queryParam("prefix", "x")
                .queryParam("users", 1)
                .queryParam("rate", 1)
                .queryParam("seconds", 1)
                .when()
                .post("/bench/emit")
                .then()
                .statusCode(404);
    }

    @ParameterizedTest
    @CsvSource({
        "GET, /api/admin/connections",
        "DELETE, /api/admin/users/someone/connections",
        "GET, /api/admin/compliance",
        "GET, /api/admin/activity"
    })
    void everyAdminEndpointNeedsTheAdminRole(String method, String path) {
        given().when().request(method, path).then().statusCode(401).contentType("application/problem+json");
        given().auth()
                .oauth2(Tokens.valid("ordinary"))
                .when()
                .request(method, path)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }
}
