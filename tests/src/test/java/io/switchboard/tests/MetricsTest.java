package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.NotificationLevel;
import io.switchboard.websocket.core.WebSocketManager;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
@MissionCritical
class MetricsTest {

    @TestHTTPResource("/ws")
    URI endpoint;

    @Inject
    WebSocketManagerFactory managers;

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void countersMoveWhenARunIsDelivered() {
        String before = scrape();
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("measured"))) {
            client.send(Frames.userMessage("t", "what is 6 * 7", null));
            client.until(Frames.runEnd());
            client.send("{\"type\":\"nonsense\"}");
            client.next();
        }
        String after = scrape();
        for (String series : new String[] {
            "switchboard_events_emitted_total{type=\"agent_started\"}",
            "switchboard_events_emitted_total{type=\"agent_completed\"}",
            "switchboard_events_delivered_total{type=\"tool_completed\"}",
            "switchboard_error_frames_total{code=\"unknown_type\"}"
        }) {
            assertTrue(value(after, series) > value(before, series), series + " did not move");
        }
        assertTrue(after.contains("switchboard_delivery_latency_seconds_bucket"), "latency is a histogram");
        assertTrue(
                after.contains("switchboard_delivery_latency_seconds{quantile=\"0.99\"}"),
                "with the recent p99 that the dashboard plots");
        assertTrue(after.contains("switchboard_connections "), "open connections gauge");
        assertTrue(after.contains("switchboard_outbound_queue_high_water_frames"), "queue high-water mark");
    }

    @Test
    void aboutOneDeliveryInEightIsTimed() {
        String before = scrape();
        int events = 400;
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("timed"))) {
            WebSocketManager manager = managers.managerFor("timed");
            for (int i = 0; i < events; i++) {
                manager.emit(new Notification(NotificationLevel.INFO, "n" + i, "body", null));
            }
            client.until(frame -> frame instanceof Event event && event.eventId() == events);
        }
        String after = scrape();
        String delivered = "switchboard_events_delivered_total{type=\"notification\"}";
        String timed = "switchboard_delivery_latency_seconds_count";
        double deliveries = value(after, delivered) - value(before, delivered);
        double samples = value(after, timed) - value(before, timed);
        assertTrue(deliveries >= events, "deliveries counted: " + deliveries);
        // a binomial draw of 400 at 1/8: 50 expected, and outside 10..150 once in billions of runs
        assertTrue(samples >= 10 && samples <= 150, "timed deliveries: " + samples + " of " + deliveries);
    }

    @Test
    void refusedUpgradesAreCountedByReason() {
        String before = scrape();
        WsClient.refusedStatus(Endpoints.ws(endpoint), null);
        String series = "switchboard_upgrades_rejected_total{reason=\"no_credential\"}";
        assertTrue(value(scrape(), series) > value(before, series), series + " did not move");
    }
}
