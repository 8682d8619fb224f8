package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/monitoring/alerts.yml is a valid rule file, and every metric it names is published. */
@QuarkusTest
@MissionCritical
class MonitoringRulesTest {
    private static final Pattern METRIC = Pattern.compile("\\bswitchboard_[a-z_]+");
    private static final Set<String> SEVERITIES = Set.of("warning", "critical");

    @TestHTTPResource("/ws")
    URI endpoint;

    @Test
    void theAlertRulesParseAndNameOnlyPublishedMetrics() throws Exception {
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("monitored"))) {
            client.send(Frames.userMessage("t", "what is 1 + 1", null));
            client.until(Frames.runEnd()); // so that every kind of meter has been used once
        }
        String metrics = await("the closed connection is counted")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> given().when()
                                .get("/q/metrics")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString(),
                        text -> text.contains("switchboard_connections_closed_total"));

        Path file = Path.of(System.getProperty("switchboard.alerts.file", "../docs/monitoring/alerts.yml"));
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        Set<String> names = new HashSet<>();
        int count = 0;
        for (JsonNode group : rules.withArray("groups")) {
            assertFalse(group.path("name").asText().isBlank(), "every group has a name");
            for (JsonNode rule : group.withArray("rules")) {
                count++;
                String alert = rule.path("alert").asText();
                assertTrue(alert.matches("Switchboard[A-Za-z]+"), "alert name: " + alert);
                assertTrue(names.add(alert), "alert names are unique: " + alert);
                assertTrue(
                        SEVERITIES.contains(rule.path("labels").path("severity").asText()), alert + " severity");
                assertFalse(rule.path("annotations").path("summary").asText().isBlank(), alert + " summary");
                assertFalse(
                        rule.path("annotations").path("description").asText().isBlank(), alert + " description");
                String expr = rule.path("expr").asText();
                Matcher metric = METRIC.matcher(expr);
                assertTrue(metric.find(), alert + " names a Switchboard metric");
                do {
                    assertTrue(
                            metrics.contains(metric.group() + "{") || metrics.contains(metric.group() + " "),
                            alert + " uses " + metric.group() + ", which /q/metrics does not publish");
                } while (metric.find());
            }
        }
        assertTrue(
                names.containsAll(Set.of(
                        "SwitchboardRetiredManagerUsed",
                        "SwitchboardDeliveryCanaryFailing",
                        "SwitchboardDeliveryLatencyHigh",
                        "SwitchboardSlowConsumersClosed")),
                "rules: " + names);
        assertTrue(count >= 4);
    }
}
