package io.switchboard.websocket.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {
    private static final Instant AT = Instant.parse("2026-11-25T19:33:36.123Z");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    static List<ServerFrame> serverFrames() {
        ObjectNode params = JSON.objectNode().put("expression", "2 + 3 * 4");
        params.putArray("list").add(1).addNull();
        return List.of(
                new Event(1, "alice", AT, new AgentStarted("t-1", "r-1", "assistant", "req-7")),
                new Event(2, "alice", AT, new AgentStarted("t-1", "r-1", "assistant", null)),
                new Event(3, "alice", AT, new AgentThinking("t-1", "r-1", "Looking at the numbers")),
                new Event(3, "alice", AT, new AgentTextDelta("t-1", "r-1", " the answer \"is\"\n42")),
                new Event(4, "alice", AT, new ToolExecuting("t-1", "r-1", "calculator", params)),
                new Event(
                        5,
                        "alice",
                        AT,
                        ToolCompleted.success(
                                "t-1", "r-1", "calculator", JSON.objectNode().put("value", 14), 12)),
                new Event(6, "alice", AT, ToolCompleted.success("t-1", "r-1", "clock", JSON.nullNode(), 0)),
                new Event(
                        7,
                        "alice",
                        AT,
                        ToolCompleted.failure("t-1", "r-1", "calculator", ToolStatus.ERROR, "division by zero", 3)),
                new Event(
                        8,
                        "alice",
                        AT,
                        ToolCompleted.failure(
                                "t-1", "r-1", "calculator", ToolStatus.TIMEOUT, "timed out after 5000 ms", 5000)),
                new Event(9, "alice", AT, new AgentCompleted("t-1", "r-1", RunStatus.COMPLETED, "14", null)),
                new Event(10, "alice", AT, new AgentCompleted("t-1", "r-1", RunStatus.FAILED, "", "boom")),
                new Event(11, "alice", AT, new AgentCompleted("t-1", "r-1", RunStatus.CANCELLED, "", null)),
                new Event(12, "alice", AT, new Notification(NotificationLevel.WARNING, "Disk", "Almost full", null)),
                new Event(13, "alice", AT, new Notification(NotificationLevel.CRITICAL, "Run", "Failed", "t-9")),
                new ConnectionEstablished("c-1", "alice", 1, "e-1", 0, 25_000),
                new ResyncRequired("e-2", 17, 3),
                new Pong(),
                new ErrorFrame(ErrorCode.RUN_IN_PROGRESS, "thread t-1 already has a running run", "req-1"),
                new ErrorFrame(ErrorCode.INVALID_JSON, "frame is not valid JSON", null));
    }

    @ParameterizedTest
    @MethodSource("serverFrames")
    void serverFramesSurviveARoundTrip(ServerFrame frame) {
        assertEquals(frame, FrameCodec.decodeServerFrame(FrameCodec.encode(frame)));
    }

    static List<ClientFrame> clientFrames() {
        return List.of(
                new UserMessage("thread-1", "What is 2 + 2?", null),
                new UserMessage("a.b:c_d-e", "héllo 🌍", "req-1"),
                new CancelRun("run-1", null),
                new CancelRun("run-1", "req-2"),
                new Ping(null),
                new Ping("req-3"));
    }

    @ParameterizedTest
    @MethodSource("clientFrames")
    void clientFramesSurviveARoundTrip(ClientFrame frame) {
        assertEquals(frame, FrameCodec.decodeClientFrame(FrameCodec.encode(frame)));
    }

    @Test
    void textThatNeedsEscapingRoundTripsAndTheSamePayloadEncodesForEachUser() {
        Notification shared = new Notification(NotificationLevel.INFO, "t\"itle", "line\nbreak \u00e9", null);
        for (String user : List.of("al\"ice", "b\\ob", "\u00e9ve", "dave")) {
            Event event = new Event(7, user, AT, shared);
            String json = FrameCodec.encode(event);
            assertEquals(event, FrameCodec.decodeServerFrame(json), json);
        }
        assertEquals(
                "{\"type\":\"notification\",\"event_id\":1,\"user_id\":\"a\\\"b\",\"timestamp\":\"2026-11-25T19:33:36.123Z\","
                        + "\"level\":\"info\",\"title\":\"x\",\"body\":\"y\"}",
                FrameCodec.encode(new Event(1, "a\"b", AT, new Notification(NotificationLevel.INFO, "x", "y", null))));
    }

    @Test
    void eventsUseTheWireNamesOfTheProtocol() {
        String json = FrameCodec.encode(
                new Event(42, "bob", AT, ToolCompleted.failure("t", "r", "clock", ToolStatus.TIMEOUT, "slow", 5000)));
        assertEquals(
                "{\"type\":\"tool_completed\",\"event_id\":42,\"user_id\":\"bob\","
                        + "\"timestamp\":\"2026-11-25T19:33:36.123Z\",\"thread_id\":\"t\",\"run_id\":\"r\","
                        + "\"tool_name\":\"clock\",\"status\":\"timeout\",\"error\":\"slow\",\"duration_ms\":5000}",
                json);
    }

    @Test
    void anEventEncodedAroundItsIdIsTheEventWithThatIdOnceTheIdIsIn() {
        for (EventPayload payload : List.of(
                new Notification(NotificationLevel.WARNING, "t\"itle", "body \u00e9", "thread-1"),
                new AgentThinking("t", "r", "step"),
                new AgentTextDelta("t", "r", "piece"),
                ToolCompleted.failure("t", "r", "clock", ToolStatus.TIMEOUT, "slow", 5000))) {
            FrameCodec.EventText text = FrameCodec.encodeEventAroundId("al\"ice", AT, payload);
            assertEquals(FrameCodec.encode(new Event(7, "al\"ice", AT, payload)), text.withId(7));
            assertEquals(FrameCodec.encode(new Event(123456789, "al\"ice", AT, payload)), text.withId(123456789));
        }
    }

    @Test
    void timestampsAlwaysCarryMilliseconds() {
        assertEquals("2026-11-25T19:33:36.000Z", FrameCodec.formatTimestamp(Instant.parse("2026-11-25T19:33:36Z")));
    }

    static Stream<Arguments> badClientFrames() {
        String longThread = "t".repeat(129);
        return Stream.of(
                Arguments.of("", ErrorCode.INVALID_JSON, "frame is empty"),
                Arguments.of("{\"type\":", ErrorCode.INVALID_JSON, "frame is not valid JSON"),
                Arguments.of("{\"type\":\"ping\"} x", ErrorCode.INVALID_JSON, "frame is not valid JSON"),
                Arguments.of(
                        "{\"type\":\"ping\",\"type\":\"ping\"}",
                        ErrorCode.INVALID_JSON,
                        "frame is not valid JSON: Duplicate field"),
                Arguments.of("[1,2]", ErrorCode.INVALID_MESSAGE, "frame must be a JSON object"),
                Arguments.of("{}", ErrorCode.INVALID_MESSAGE, "field 'type' is missing"),
                Arguments.of("{\"type\":7}", ErrorCode.INVALID_MESSAGE, "field 'type' must be a string"),
                Arguments.of("{\"type\":\"subscribe\"}", ErrorCode.UNKNOWN_TYPE, "unknown frame type 'subscribe'"),
                Arguments.of(
                        "{\"type\":\"agent_started\"}", ErrorCode.UNKNOWN_TYPE, "unknown frame type 'agent_started'"),
                Arguments.of(
                        "{\"type\":\"user_message\",\"content\":\"hi\"}",
                        ErrorCode.INVALID_MESSAGE,
                        "field 'thread_id' is missing"),
                Arguments.of(
                        "{\"type\":\"user_message\",\"thread_id\":1,\"content\":\"hi\"}",
                        ErrorCode.INVALID_MESSAGE,
                        "field 'thread_id' must be a string"),
                Arguments.of(
                        "{\"type\":\"user_message\",\"thread_id\":\"a b\",\"content\":\"hi\"}",
                        ErrorCode.INVALID_MESSAGE,
                        "field 'thread_id' must be 1-128 characters of A-Za-z0-9_.:-"),
                Arguments.of(
                        "{\"type\":\"user_message\",\"thread_id\":\"" + longThread + "\",\"content\":\"hi\"}",
                        ErrorCode.INVALID_MESSAGE,
                        "field 'thread_id' must be 1-128 characters"),
                Arguments.of(
                        "{\"type\":\"user_message\",\"thread_id\":\"t\",\"content\":\"\"}",
                        ErrorCode.INVALID_MESSAGE,
                        "field 'content' must be 1-32768 characters"),
                Arguments.of(
                        "{\"type\":\"user_message\",\"thread_id\":\"t\",\"content\":\"" + "x".repeat(32_769) + "\"}",
                        ErrorCode.INVALID_MESSAGE,
                        "field 'content' must be 1-32768 characters"),
                Arguments.of(
                        "{\"type\":\"user_message\",\"thread_id\":\"t\"}",
                        ErrorCode.INVALID_MESSAGE,
                        "field 'content' is missing"),
                Arguments.of("{\"type\":\"cancel_run\"}", ErrorCode.INVALID_MESSAGE, "field 'run_id' is missing"),
                Arguments.of(
                        "{\"type\":\"cancel_run\",\"run_id\":\"\"}",
                        ErrorCode.INVALID_MESSAGE,
                        "field 'run_id' must not be blank"),
                Arguments.of(
                        "{\"type\":\"ping\",\"request_id\":5}",
                        ErrorCode.INVALID_MESSAGE,
                        "field 'request_id' must be a string"));
    }

    @ParameterizedTest
    @MethodSource("badClientFrames")
    void malformedClientFramesAreRejectedWithAPreciseReason(String text, ErrorCode code, String reason) {
        FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decodeClientFrame(text));
        assertEquals(code, e.code());
        if (!e.getMessage().startsWith(reason)) {
            throw new AssertionError(
                    "expected a reason starting with <" + reason + "> but was <" + e.getMessage() + ">");
        }
    }

    @Test
    void rejectionsEchoTheRequestIdOfTheFrame() {
        FrameException e = assertThrows(
                FrameException.class,
                () -> FrameCodec.decodeClientFrame(
                        "{\"type\":\"user_message\",\"thread_id\":\"t\",\"request_id\":\"abc\"}"));
        assertEquals("abc", e.requestId());
        assertEquals(new ErrorFrame(ErrorCode.INVALID_MESSAGE, "field 'content' is missing", "abc"), ErrorFrame.of(e));
        FrameException unknown = assertThrows(
                FrameException.class, () -> FrameCodec.decodeClientFrame("{\"type\":\"nope\",\"request_id\":\"q\"}"));
        assertEquals("q", unknown.requestId());
    }

    @Test
    void unknownFieldsAreIgnored() {
        assertEquals(new Ping(null), FrameCodec.decodeClientFrame("{\"type\":\"ping\",\"extra\":{\"a\":1}}"));
    }

    static Stream<Arguments> badServerFrames() {
        return Stream.of(
                Arguments.of(
                        "{\"type\":\"agent_thinking\",\"event_id\":1.5,\"user_id\":\"u\",\"timestamp\":"
                                + "\"2026-11-25T19:33:36.123Z\",\"thread_id\":\"t\",\"run_id\":\"r\",\"reasoning\":\"x\"}",
                        "field 'event_id' must be an integer"),
                Arguments.of(
                        "{\"type\":\"agent_thinking\",\"event_id\":0,\"user_id\":\"u\",\"timestamp\":"
                                + "\"2026-11-25T19:33:36.123Z\",\"thread_id\":\"t\",\"run_id\":\"r\",\"reasoning\":\"x\"}",
                        "field 'event_id' must be at least 1"),
                Arguments.of(
                        "{\"type\":\"agent_thinking\",\"event_id\":1,\"user_id\":\"u\",\"timestamp\":"
                                + "\"yesterday\",\"thread_id\":\"t\",\"run_id\":\"r\",\"reasoning\":\"x\"}",
                        "field 'timestamp' must be an ISO-8601 UTC timestamp"),
                Arguments.of(
                        "{\"type\":\"tool_completed\",\"event_id\":1,\"user_id\":\"u\",\"timestamp\":"
                                + "\"2026-11-25T19:33:36.123Z\",\"thread_id\":\"t\",\"run_id\":\"r\",\"tool_name\":\"c\","
                                + "\"status\":\"maybe\",\"duration_ms\":1}",
                        "field 'status' must be one of success, error, timeout"),
                Arguments.of(
                        "{\"type\":\"tool_completed\",\"event_id\":1,\"user_id\":\"u\",\"timestamp\":"
                                + "\"2026-11-25T19:33:36.123Z\",\"thread_id\":\"t\",\"run_id\":\"r\",\"tool_name\":\"c\","
                                + "\"status\":\"error\",\"duration_ms\":1}",
                        "field 'error' is required"),
                Arguments.of(
                        "{\"type\":\"tool_executing\",\"event_id\":1,\"user_id\":\"u\",\"timestamp\":"
                                + "\"2026-11-25T19:33:36.123Z\",\"thread_id\":\"t\",\"run_id\":\"r\",\"tool_name\":\"c\","
                                + "\"parameters\":[1]}",
                        "field 'parameters' must be an object"),
                Arguments.of(
                        "{\"type\":\"error\",\"code\":\"teapot\",\"message\":\"m\"}",
                        "field 'code' is not a known error code"),
                Arguments.of(
                        "{\"type\":\"notification\",\"event_id\":1,\"user_id\":\"u\",\"timestamp\":"
                                + "\"2026-11-25T19:33:36.123Z\",\"level\":\"info\",\"title\":\"" + "x".repeat(201)
                                + "\",\"body\":\"b\"}",
                        "field 'title' must be at most 200 characters"));
    }

    @ParameterizedTest
    @MethodSource("badServerFrames")
    void malformedServerFramesAreRejectedWithAPreciseReason(String text, String reason) {
        FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decodeServerFrame(text));
        assertEquals(ErrorCode.INVALID_MESSAGE, e.code());
        assertEquals(reason, e.getMessage());
    }

    @Test
    void recordsCannotBeChangedThroughTheirJsonValues() {
        ObjectNode params = JSON.objectNode().put("a", 1);
        ToolExecuting executing = new ToolExecuting("t", "r", "tool", params);
        params.put("a", 2);
        executing.parameters().put("a", 3);
        assertEquals(1, executing.parameters().get("a").intValue());
    }
}
