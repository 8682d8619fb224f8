package io.switchboard.tests;

import static io.switchboard.tests.Frames.payload;
import static io.switchboard.tests.Frames.userMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.AgentStarted;
import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.ConnectionEstablished;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.api.RunEventPayload;
import io.switchboard.websocket.api.RunStatus;
import io.switchboard.websocket.api.ServerFrame;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolExecuting;
import io.switchboard.websocket.api.ToolStatus;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
@MissionCritical
class AgentEventsTest {
    private static final Pattern TIMESTAMP =
            Pattern.compile("\"timestamp\":\"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z\"");

    @TestHTTPResource("/ws")
    URI endpoint;

    @Test
    void theFirstFrameIsConnectionEstablished() {
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("first-frame"))) {
            ConnectionEstablished established = client.established();
            assertEquals("first-frame", established.userId());
            assertEquals(1, established.protocolVersion());
            assertEquals(0, established.lastEventId());
            assertEquals(25_000, established.heartbeatIntervalMs());
            assertFalse(established.epoch().isBlank());
            assertFalse(established.connectionId().isBlank());
        }
    }

    @Test
    void aUserMessageProducesTheAgentEventsInOrderWithTheirFields() {
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("events-user"))) {
            client.send(userMessage("thread-1", "What is 2 + 3 * 4?", "req-42"));
            List<String> raw = new ArrayList<>();
            List<ServerFrame> frames = new ArrayList<>();
            do {
                String text = client.nextText();
                raw.add(text);
                frames.add(FrameCodec.decodeServerFrame(text));
            } while (!Frames.runEnd().test(frames.get(frames.size() - 1)));

            assertEquals(Frames.TOOL_RUN, Frames.types(frames));
            List<Event> events = Frames.events(frames);
            for (int i = 0; i < events.size(); i++) {
                Event event = events.get(i);
                assertEquals(i + 1, event.eventId(), "event ids count from 1 in order");
                assertEquals("events-user", event.userId());
                RunEventPayload run = (RunEventPayload) event.payload();
                assertEquals("thread-1", run.threadId());
                assertEquals(payload(frames.get(0), AgentStarted.class).runId(), run.runId());
                assertTrue(TIMESTAMP.matcher(raw.get(i)).find(), raw.get(i));
                assertTrue(
                        i == 0 || !event.timestamp().isBefore(events.get(i - 1).timestamp()));
            }
            AgentStarted started = payload(frames.get(0), AgentStarted.class);
            assertEquals("assistant", started.agentName());
            assertEquals("req-42", started.requestId());
            assertFalse(payload(frames.get(1), AgentThinking.class).reasoning().isBlank());
            ToolExecuting executing = payload(frames.get(3), ToolExecuting.class);
            assertEquals("calculator", executing.toolName());
            assertEquals("2 + 3 * 4", executing.parameters().get("expression").asText());
            ToolCompleted completed = payload(frames.get(4), ToolCompleted.class);
            assertEquals("calculator", completed.toolName());
            assertEquals(ToolStatus.SUCCESS, completed.status());
            assertEquals(14, completed.results().get("value").asInt());
            assertTrue(completed.durationMs() >= 0);
            AgentCompleted end = payload(frames.get(6), AgentCompleted.class);
            assertEquals(RunStatus.COMPLETED, end.status());
            assertEquals("2 + 3 * 4 = 14", end.finalResponse());
        }
    }

    @Test
    void aFailingToolIsReportedAndTheRunStillCompletes() {
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("tool-error-user"))) {
            client.send(userMessage("t", "what is 1 / 0", null));
            List<ServerFrame> frames = client.until(Frames.runEnd());
            ToolCompleted tool = payload(
                    frames.stream()
                            .filter(Frames.eventOf(ToolCompleted.class))
                            .findFirst()
                            .orElseThrow(),
                    ToolCompleted.class);
            assertEquals(ToolStatus.ERROR, tool.status());
            assertEquals("division by zero", tool.error());
            AgentCompleted end = payload(frames.get(frames.size() - 1), AgentCompleted.class);
            assertEquals(RunStatus.COMPLETED, end.status());
            assertEquals("The calculator tool could not do it: division by zero.", end.finalResponse());
        }
    }

    @Test
    void aToolThatRunsTooLongTimesOutAndTheRunStillCompletes() {
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("tool-timeout-user"))) {
            client.send(userMessage("t", "please wait 5 seconds", null));
            List<ServerFrame> frames = client.until(Frames.runEnd());
            ToolCompleted tool = payload(
                    frames.stream()
                            .filter(Frames.eventOf(ToolCompleted.class))
                            .findFirst()
                            .orElseThrow(),
                    ToolCompleted.class);
            assertEquals(ToolStatus.TIMEOUT, tool.status());
            assertEquals("timed out after 2000 ms", tool.error());
            assertTrue(tool.durationMs() >= 2000 && tool.durationMs() < 4000, "duration " + tool.durationMs());
            assertEquals(
                    RunStatus.COMPLETED,
                    payload(frames.get(frames.size() - 1), AgentCompleted.class).status());
        }
    }
}
