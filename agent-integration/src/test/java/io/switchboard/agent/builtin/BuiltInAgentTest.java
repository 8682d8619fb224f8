package io.switchboard.agent.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.agent.RunContext;
import io.switchboard.agent.ToolDescription;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuiltInAgentTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "What is 2 + 3 * 4?|calculator|{\"expression\":\"2 + 3 * 4\"}",
                "compute (1+2)^3 please|calculator|{\"expression\":\"(1+2)^3\"}",
                "what time is it in Asia/Tokyo?|clock|{\"time_zone\":\"Asia/Tokyo\"}",
                "What day is it?|clock|{}",
                "Count the words in: the cat sat|text_statistics|{\"text\":\"the cat sat\"}",
                "please wait 3 seconds|wait|{\"seconds\":3.0}"
            })
    void picksTheToolTheMessageCallsFor(String message, String tool, String parameters) {
        Plan plan = Plan.of(message);
        assertEquals(tool, plan.tool());
        assertEquals(parameters, plan.parameters().toString());
    }

    @Test
    void answersDirectlyWhenNoToolFits() {
        assertNull(Plan.of("Hello there, 2024 was a good year").tool());
        assertNull(Plan.of("hi").tool());
    }

    @Test
    void thinksCallsTheToolAndAnswersFromItsResult() throws Exception {
        List<String> steps = new ArrayList<>();
        RunContext run = new RunContext() {
            @Override
            public String userId() {
                return "alice";
            }

            @Override
            public String threadId() {
                return "t";
            }

            @Override
            public String runId() {
                return "r";
            }

            @Override
            public String message() {
                return "what is 6 * 7";
            }

            @Override
            public List<ToolDescription> tools() {
                return List.of();
            }

            @Override
            public void think(String reasoning) {
                steps.add("think: " + reasoning);
            }

            @Override
            public void answer(String text) {
                steps.add("answer: " + text);
            }

            @Override
            public ToolCompleted callTool(String toolName, ObjectNode parameters) {
                steps.add("call: " + toolName + " " + parameters);
                return ToolCompleted.success(
                        "t",
                        "r",
                        toolName,
                        JsonNodeFactory.instance
                                .objectNode()
                                .put("expression", "6 * 7")
                                .put("value", 42),
                        1);
            }
        };
        String answer = new BuiltInAgent(Duration.ZERO).run(run);
        assertEquals("6 * 7 = 42", answer);
        assertEquals(
                List.of(
                        "think: Reading your message (5 words).",
                        "think: This contains arithmetic (6 * 7), so I will use the calculator.",
                        "call: calculator {\"expression\":\"6 * 7\"}",
                        "think: Writing the answer."),
                steps);
    }

    @Test
    void reportsToolFailuresInTheAnswer() {
        assertEquals(
                "The calculator tool could not do it: division by zero.",
                BuiltInAgent.answer(
                        ToolCompleted.failure("t", "r", "calculator", ToolStatus.ERROR, "division by zero", 1)));
        assertEquals(
                "The wait tool took too long (timed out after 10000 ms).",
                BuiltInAgent.answer(ToolCompleted.failure(
                        "t", "r", "wait", ToolStatus.TIMEOUT, "timed out after 10000 ms", 10000)));
    }
}
