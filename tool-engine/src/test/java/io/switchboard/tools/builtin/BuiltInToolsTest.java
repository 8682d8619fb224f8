package io.switchboard.tools.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.tools.ToolException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuiltInToolsTest {
    private static ObjectNode params(String name, String value) {
        return JsonNodeFactory.instance.objectNode().put(name, value);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "2 + 3 * 4|14",
                "(2 + 3) * 4|20",
                "2 ^ 3 ^ 2|512",
                "-2 ^ 2|-4",
                "10 / 4|2.5",
                "17 % 5|2",
                "--3|3",
                "1.5 + .5|2",
                "  7  |7"
            })
    void calculatorEvaluatesWithTheUsualPrecedence(String expression, String expected) throws Exception {
        JsonNode result = new Calculator().execute(params("expression", expression));
        assertEquals(expected, result.get("value").asText());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "1 / 0|division by zero",
                "2 +|the expression ends too early",
                "2 $ 3|unexpected '$' at position 3",
                "(1 + 2|missing ')' at position 7",
                "1..2|'1..2' is not a number",
                "10 ^ 400|the result is too large to represent",
                "System.exit(0)|unexpected 'S' at position 1"
            })
    void calculatorExplainsWhatItCannotEvaluate(String expression, String reason) {
        ToolException e =
                assertThrows(ToolException.class, () -> new Calculator().execute(params("expression", expression)));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void calculatorRefusesDeepNestingAndMissingParameters() {
        String deep = "(".repeat(100) + "1" + ")".repeat(100);
        assertEquals(
                "the expression nests deeper than 64 levels",
                assertThrows(ToolException.class, () -> new Calculator().execute(params("expression", deep)))
                        .getMessage());
        assertEquals(
                "parameter 'expression' must be a string",
                assertThrows(ToolException.class, () -> new Calculator().execute(JsonNodeFactory.instance.objectNode()))
                        .getMessage());
    }

    @Test
    void clockTellsTheTimeInTheAskedZone() throws Exception {
        WallClock clock = new WallClock(Clock.fixed(Instant.parse("2026-11-25T19:33:36.123Z"), ZoneOffset.UTC));
        JsonNode paris = clock.execute(params("time_zone", "Europe/Paris"));
        assertEquals("2026-11-25T20:33:36+01:00", paris.get("local_time").asText());
        assertEquals("Wednesday", paris.get("day_of_week").asText());
        assertEquals(
                "UTC",
                clock.execute(JsonNodeFactory.instance.objectNode())
                        .get("time_zone")
                        .asText());
        assertEquals(
                "'Mars/Olympus' is not a known time zone",
                assertThrows(ToolException.class, () -> clock.execute(params("time_zone", "Mars/Olympus")))
                        .getMessage());
    }

    @Test
    void textStatisticsCountsWordsSentencesAndCommonWords() throws Exception {
        JsonNode stats = new TextStatistics().execute(params("text", "The cat sat. The cat ran!\nThe end"));
        assertEquals(33, stats.get("characters").asInt());
        assertEquals(8, stats.get("words").asInt());
        assertEquals(3, stats.get("sentences").asInt());
        assertEquals(2, stats.get("lines").asInt());
        assertEquals("the", stats.get("most_common_words").get(0).get("word").asText());
        assertEquals(3, stats.get("most_common_words").get(0).get("count").asInt());
        assertEquals("cat", stats.get("most_common_words").get(1).get("word").asText());
    }

    @Test
    void waitWaitsAndRefusesUnreasonableDurations() throws Exception {
        ObjectNode shortWait = JsonNodeFactory.instance.objectNode().put("seconds", 0.05);
        assertEquals(50, new Wait().execute(shortWait).get("waited_ms").asInt());
        ObjectNode longWait = JsonNodeFactory.instance.objectNode().put("seconds", 61);
        assertThrows(ToolException.class, () -> new Wait().execute(longWait));
    }
}
