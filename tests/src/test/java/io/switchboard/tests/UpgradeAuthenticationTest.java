package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.switchboard.app.DevKeys;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

@QuarkusTest
@MissionCritical
class UpgradeAuthenticationTest {

    @TestHTTPResource("/ws")
    URI endpoint;

    private String ticketFor(String bearer) {
        return given().auth()
                .oauth2(bearer)
                .when()
                .post("/api/ws/tickets")
                .then()
                .statusCode(201)
                .body("ticket", matchesPattern("[A-Za-z0-9_-]{43}"))
                .extract()
                .path("ticket");
    }

    @Test
    void anUpgradeWithoutCredentialIsRefused() {
        assertEquals(401, WsClient.refusedStatus(Endpoints.ws(endpoint), null));
    }

    @Test
    void malformedForgedExpiredAndForeignTokensAreRefused() {
        assertEquals(401, WsClient.refusedStatus(Endpoints.ws(endpoint), "not-a-jwt"));
        assertEquals(401, WsClient.refusedStatus(Endpoints.ws(endpoint), Tokens.signedByAnotherKey("mallory")));
        assertEquals(401, WsClient.refusedStatus(Endpoints.ws(endpoint), Tokens.expired("alice")));
        assertEquals(401, WsClient.refusedStatus(Endpoints.ws(endpoint), Tokens.otherIssuer("alice")));
    }

    @Test
    void theUserIdComesFromTheTokenOnly() {
        URI spoofing = Endpoints.ws(endpoint, "user_id=mallory&user=mallory&sub=mallory");
        try (WsClient client = WsClient.connect(spoofing, Tokens.valid("honest"))) {
            assertEquals("honest", client.established().userId());
        }
    }

    @Test
    void aTokenWithoutSubjectNamesTheUserByUpn() {
        String token = Jwt.issuer(Tokens.ISSUER)
                .upn("upn-user")
                .expiresAt(Instant.now().plusSeconds(60))
                .sign(DevKeys.privateKey());
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint), token)) {
            assertEquals("upn-user", client.established().userId());
        }
    }

    @Test
    void aTicketConnectsItsUserOnceOnly() {
        String ticket = ticketFor(Tokens.valid("ticket-user"));
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint, "ticket=" + ticket), null)) {
            assertEquals("ticket-user", client.established().userId());
        }
        assertEquals(401, WsClient.refusedStatus(Endpoints.ws(endpoint, "ticket=" + ticket), null));
        assertEquals(401, WsClient.refusedStatus(Endpoints.ws(endpoint, "ticket=made-up"), null));
    }

    @Test
    void aTicketTogetherWithABearerTokenIsRefused() {
        String ticket = ticketFor(Tokens.valid("both"));
        assertEquals(401, WsClient.refusedStatus(Endpoints.ws(endpoint, "ticket=" + ticket), Tokens.valid("both")));
    }

    @Test
    void ticketsNeedAValidBearerToken() {
        given().when()
                .post("/api/ws/tickets")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401));
        given().auth()
                .oauth2(Tokens.expired("alice"))
                .when()
                .post("/api/ws/tickets")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void theConnectionBeyondTheLimitIsRefusedAndTheOthersCarryOn() throws Exception {
        String token = Tokens.valid("many-tabs");
        List<WsClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                tabs.add(WsClient.connect(Endpoints.ws(endpoint), token));
            }
            assertEquals(429, WsClient.refusedStatus(Endpoints.ws(endpoint), token));
            for (WsClient tab : tabs) {
                tab.assertOpenWithPong();
            }
            tabs.remove(0).close();
            tabs.add(connectWithin(Duration.ofSeconds(3), token));
        } finally {
            tabs.forEach(WsClient::close);
        }
    }

    private WsClient connectWithin(Duration time, String token) {
        return await("the freed slot was not given back")
                .atMost(time)
                .ignoreExceptions()
                .until(() -> WsClient.connect(Endpoints.ws(endpoint), token), Objects::nonNull);
    }
}
