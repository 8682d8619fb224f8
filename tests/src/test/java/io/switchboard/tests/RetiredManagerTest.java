package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.NotificationLevel;
import io.switchboard.websocket.core.WebSocketManager;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The one way to bend the single-manager rule while running: code that keeps a manager past its
 * retirement. Its work still reaches the user, the wellness check goes DOWN naming the user, and the
 * compliance report says so.
 */
@QuarkusTest
@TestProfile(ShortTimersProfile.class)
@MissionCritical
class RetiredManagerTest {
    private static final String ADMIN = Tokens.valid("root", "admin");
    private static final String CHECK = "checks.find { it.name == 'websocket-managers' }";

    @Inject
    WebSocketManagerFactory managers;

    @Inject
    WebSocketManagerRegistry registry;

    @Test
    void aManagerUsedAfterItsRetirementIsReportedAndItsEventReachesTheLiveOne() throws InterruptedException {
        WebSocketManager kept = managers.managerFor("forgetful"); // a consumer that holds on to it
        given().when().get("/q/health/well").then().statusCode(200).body(CHECK + ".status", equalTo("UP"));

        await("the idle manager was not retired (retention.idle-ttl is 2 s in this profile)")
                .atMost(Duration.ofSeconds(10))
                .until(() -> registry.user("forgetful").isEmpty());
        kept.emit(new Notification(NotificationLevel.INFO, "late", "from a kept manager", null));

        assertEquals(1, registry.user("forgetful").orElseThrow().lastEventId(), "the live manager got the event");
        given().when()
                .get("/q/health/well")
                .then()
                .statusCode(503)
                .body(CHECK + ".status", equalTo("DOWN"))
                .body(CHECK + ".data.retired_manager_uses", equalTo(1))
                .body(CHECK + ".data.violations", containsString("a retired manager of user forgetful was used"));
        given().auth()
                .oauth2(ADMIN)
                .when()
                .get("/api/admin/compliance")
                .then()
                .statusCode(200)
                .body("compliant", equalTo(false))
                .body("last_retired_user", equalTo("forgetful"));
    }
}
