package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.websocket.core.ComplianceReport;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class SsotHealthCheckTest {

    @Test
    void isUpWithItsDataWhenTheRuleHolds() {
        HealthCheckResponse response = new SsotHealthCheck(() ->
                        new ComplianceReport(List.of(UserWebSocketManager.class.getName()), 1, 3, 1, 0, List.of()))
                .call();
        assertEquals("websocket-ssot", response.getName());
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertEquals(3L, response.getData().orElseThrow().get("managers"));
    }

    @Test
    void isDownWithTheReasonsWhenTheRuleIsBroken() {
        HealthCheckResponse response = new SsotHealthCheck(() -> new ComplianceReport(
                        List.of(UserWebSocketManager.class.getName()),
                        1,
                        3,
                        2,
                        1,
                        List.of("a user has 2 live managers")))
                .call();
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals(
                "a user has 2 live managers", response.getData().orElseThrow().get("violations"));
        assertEquals(2L, response.getData().orElseThrow().get("max_managers_per_user"));
    }
}
