package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /dev/token} in the dev and test builds (PackagedAppTest shows it absent in prod). */
@QuarkusTest
class DevTokenTest {

    @TestHTTPResource("/ws")
    URI endpoint;

    @Test
    void aDevTokenConnectsItsUser() {
        String token = given().queryParam("user", "dev-user")
                .when()
                .get("/dev/token")
                .then()
                .statusCode(200)
                .contentType("text/plain")
                .body(startsWith("eyJ"))
                .extract()
                .asString();
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint), token)) {
            assertEquals("dev-user", client.established().userId());
        }
    }

    @Test
    void asJsonItSaysWhoAndUntilWhen() {
        given().queryParam("user", "dev-admin")
                .queryParam("roles", "admin, ops")
                .accept("application/json")
                .when()
                .get("/dev/token")
                .then()
                .statusCode(200)
                .body("user_id", equalTo("dev-admin"))
                .body("roles", equalTo(List.of("admin", "ops")))
                .body("token", startsWith("eyJ"));
    }

    @Test
    void aMissingOrOddUserIsABadRequest() {
        given().when()
                .get("/dev/token")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("query parameter 'user' must be 1-128 characters of A-Za-z0-9_.@:-"));
        given().queryParam("user", "a b").when().get("/dev/token").then().statusCode(400);
        given().queryParam("user", "ok")
                .queryParam("ttl_seconds", 0)
                .when()
                .get("/dev/token")
                .then()
                .statusCode(400);
    }
}
