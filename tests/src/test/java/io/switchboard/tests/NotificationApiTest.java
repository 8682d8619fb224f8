package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.NotificationLevel;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@MissionCritical
class NotificationApiTest {
    private static final String ADMIN = Tokens.valid("operator", "admin");

    @TestHTTPResource("/ws")
    URI endpoint;

    private static Notification received(WsClient client) {
        return Frames.payload(client.next(), Notification.class);
    }

    @Test
    void anAdministratorNotifiesOneUserAndOnlyThatUser() {
        try (WsClient alice = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("notified"));
                WsClient bob = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("not-notified"))) {
            given().auth()
                    .oauth2(ADMIN)
                    .contentType(ContentType.JSON)
                    .body(
                            "{\"user_id\":\"notified\",\"level\":\"warning\",\"title\":\"Disk\",\"body\":\"Almost full\"}")
                    .when()
                    .post("/api/notifications")
                    .then()
                    .statusCode(202)
                    .body("users", equalTo(1));
            assertEquals(new Notification(NotificationLevel.WARNING, "Disk", "Almost full", null), received(alice));
            bob.assertOpenWithPong();
        }
    }

    @Test
    void aBroadcastReachesEveryConnectedUser() {
        try (WsClient one = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("everyone-1"));
                WsClient two = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("everyone-2"))) {
            given().auth()
                    .oauth2(ADMIN)
                    .contentType(ContentType.JSON)
                    .body("{\"broadcast\":true,\"level\":\"critical\",\"title\":\"Maintenance\",\"body\":\"At noon\"}")
                    .when()
                    .post("/api/notifications")
                    .then()
                    .statusCode(202)
                    .body("users", greaterThanOrEqualTo(2));
            assertEquals("Maintenance", received(one).title());
            assertEquals("Maintenance", received(two).title());
        }
    }

    @Test
    void aNotificationForAnOfflineUserSurvivesUntilTheyConnect() {
        given().auth()
                .oauth2(ADMIN)
                .contentType(ContentType.JSON)
                .body(
                        "{\"user_id\":\"offline\",\"level\":\"info\",\"title\":\"While you were away\",\"body\":\"\",\"thread_id\":\"t-1\"}")
                .when()
                .post("/api/notifications")
                .then()
                .statusCode(202);
        try (WsClient later = WsClient.connect(Endpoints.ws(endpoint, "last_event_id=0"), Tokens.valid("offline"))) {
            Event event = (Event) later.next();
            assertEquals(new Notification(NotificationLevel.INFO, "While you were away", "", "t-1"), event.payload());
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"user_id\":\"u\",\"title\":\"t\",\"body\":\"b\"}|field 'level' must be one of info, warning, critical",
                "{\"user_id\":\"u\",\"level\":\"loud\",\"title\":\"t\",\"body\":\"b\"}|field 'level' must be one of info, warning, critical",
                "{\"user_id\":\"u\",\"level\":\"info\",\"body\":\"b\"}|field 'title' is required",
                "{\"user_id\":\"u\",\"level\":\"info\",\"title\":\"t\"}|field 'body' is required",
                "{\"level\":\"info\",\"title\":\"t\",\"body\":\"b\"}|give either 'user_id' or 'broadcast': true",
                "{\"user_id\":\"u\",\"broadcast\":true,\"level\":\"info\",\"title\":\"t\",\"body\":\"b\"}|give either 'user_id' or 'broadcast': true",
                "{\"broadcast\":\"yes\",\"level\":\"info\",\"title\":\"t\",\"body\":\"b\"}|field 'broadcast' must be true or false",
                "{\"user_id\":\"u\",\"level\":\"info\",\"title\":\"t\",\"body\":\"b\",\"thread_id\":\"no spaces\"}|field 'thread_id' must be 1-128 characters of A-Za-z0-9_.:-",
                "[1,2]|the body must be a JSON object",
                "{nope|the body is not valid JSON"
            })
    void badRequestsGetAProblemNamingTheField(String body, String detail) {
        given().auth()
                .oauth2(ADMIN)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/notifications")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", equalTo(detail));
    }

    @Test
    void titleAndBodyLengthsAreBounded() {
        String longTitle =
                "{\"user_id\":\"u\",\"level\":\"info\",\"title\":\"" + "t".repeat(201) + "\",\"body\":\"b\"}";
        given().auth()
                .oauth2(ADMIN)
                .contentType(ContentType.JSON)
                .body(longTitle)
                .when()
                .post("/api/notifications")
                .then()
                .statusCode(400)
                .body("detail", equalTo("field 'title' must be at most 200 characters"));
        String longBody =
                "{\"user_id\":\"u\",\"level\":\"info\",\"title\":\"t\",\"body\":\"" + "b".repeat(4_001) + "\"}";
        given().auth()
                .oauth2(ADMIN)
                .contentType(ContentType.JSON)
                .body(longBody)
                .when()
                .post("/api/notifications")
                .then()
                .statusCode(400)
                .body("detail", equalTo("field 'body' must be at most 4000 characters"));
    }

    @Test
    void onlyAdministratorsMayNotify() {
        String body = "{\"broadcast\":true,\"level\":\"info\",\"title\":\"t\",\"body\":\"b\"}";
        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/notifications")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(Tokens.valid("ordinary"))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/notifications")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
    }
}
