package io.switchboard.tests;

import static io.switchboard.tests.Frames.payload;
import static io.switchboard.tests.Frames.userMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.AgentStarted;
import io.switchboard.websocket.api.ErrorCode;
import io.switchboard.websocket.api.ErrorFrame;
import io.switchboard.websocket.api.RunStatus;
import io.switchboard.websocket.api.ServerFrame;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolExecuting;
import io.switchboard.websocket.api.ToolStatus;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@MissionCritical
class BadFramesTest {

    @TestHTTPResource("/ws")
    URI endpoint;

    private WsClient connect(String user) {
        return WsClient.connect(Endpoints.ws(endpoint), Tokens.valid(user));
    }

    private static ErrorFrame error(WsClient client) {
        return assertInstanceOf(ErrorFrame.class, client.next());
    }

    @Test
    void malformedFramesGetPreciseErrorsAndTheConnectionStaysOpen() {
        try (WsClient client = connect("sloppy")) {
            client.send("{not json");
            ErrorFrame notJson = error(client);
            assertEquals(ErrorCode.INVALID_JSON, notJson.code());

            client.send("{\"type\":\"subscribe\",\"request_id\":\"r1\"}");
            assertEquals(new ErrorFrame(ErrorCode.UNKNOWN_TYPE, "unknown frame type 'subscribe'", "r1"), error(client));

            client.send("{\"type\":\"user_message\",\"thread_id\":\"t\",\"request_id\":\"r2\"}");
            assertEquals(new ErrorFrame(ErrorCode.INVALID_MESSAGE, "field 'content' is missing", "r2"), error(client));

            client.send("{\"type\":\"user_message\",\"thread_id\":\"no spaces\",\"content\":\"hi\"}");
            assertEquals(
                    new ErrorFrame(
                            ErrorCode.INVALID_MESSAGE,
                            "field 'thread_id' must be 1-128 characters of A-Za-z0-9_.:-",
                            null),
                    error(client));

            client.send(userMessage("t", "x".repeat(32_769), "r3"));
            assertEquals(
                    new ErrorFrame(ErrorCode.INVALID_MESSAGE, "field 'content' must be 1-32768 characters", "r3"),
                    error(client));

            client.send("{\"type\":\"cancel_run\",\"run_id\":5}");
            assertEquals(
                    new ErrorFrame(ErrorCode.INVALID_MESSAGE, "field 'run_id' must be a string", null), error(client));

            client.send("[]");
            assertEquals(ErrorCode.INVALID_MESSAGE, error(client).code());
            client.assertOpenWithPong();
        }
    }

    @Test
    void aSecondMessageOnABusyThreadIsRefusedWhileOtherThreadsRun() {
        try (WsClient client = connect("busy")) {
            client.send(userMessage("t1", "wait 1 seconds", null));
            String runId = payload(client.next(), AgentStarted.class).runId();
            client.send(userMessage("t1", "what is 1 + 1", "again"));
            List<ServerFrame> frames = client.until(f -> f instanceof ErrorFrame);
            ErrorFrame busy = (ErrorFrame) frames.get(frames.size() - 1);
            assertEquals(ErrorCode.RUN_IN_PROGRESS, busy.code());
            assertEquals("again", busy.requestId());
            AgentCompleted end = payload(
                    client.until(Frames.runEnd()).stream().reduce((a, b) -> b).orElseThrow(), AgentCompleted.class);
            assertEquals(runId, end.runId());
            assertEquals(RunStatus.COMPLETED, end.status());
        }
    }

    @Test
    void cancellingARunCompletesItsToolThenTheRun() {
        try (WsClient client = connect("canceller")) {
            client.send(userMessage("t", "wait 9 seconds", null));
            List<ServerFrame> started = client.until(Frames.eventOf(ToolExecuting.class));
            String runId = payload(started.get(0), AgentStarted.class).runId();
            client.send("{\"type\":\"cancel_run\",\"run_id\":\"" + runId + "\"}");
            ToolCompleted tool = payload(client.next(), ToolCompleted.class);
            assertEquals(ToolStatus.ERROR, tool.status());
            assertEquals("the run was cancelled", tool.error());
            AgentCompleted end = payload(client.next(), AgentCompleted.class);
            assertEquals(RunStatus.CANCELLED, end.status());
            assertEquals(runId, end.runId());
            client.assertOpenWithPong();
        }
    }

    @Test
    void anotherUsersRunIsIndistinguishableFromNoRun() {
        try (WsClient owner = connect("run-owner");
                WsClient intruder = connect("intruder")) {
            owner.send(userMessage("t", "wait 1 seconds", null));
            String runId = payload(owner.next(), AgentStarted.class).runId();
            intruder.send("{\"type\":\"cancel_run\",\"run_id\":\"" + runId + "\",\"request_id\":\"x\"}");
            assertEquals(
                    new ErrorFrame(ErrorCode.RUN_NOT_FOUND, "no running run '" + runId + "'", "x"), error(intruder));
            intruder.send("{\"type\":\"cancel_run\",\"run_id\":\"run_nope\",\"request_id\":\"x\"}");
            assertEquals(new ErrorFrame(ErrorCode.RUN_NOT_FOUND, "no running run 'run_nope'", "x"), error(intruder));
            List<ServerFrame> frames = owner.until(Frames.runEnd());
            assertEquals(
                    RunStatus.COMPLETED,
                    payload(frames.get(frames.size() - 1), AgentCompleted.class).status());
        }
    }

    @Test
    void aMessageOverTheSizeLimitClosesWith1009() {
        try (WsClient client = connect("big-talker")) {
            client.send("{\"type\":\"ping\",\"padding\":\"" + "x".repeat(70_000) + "\"}");
            assertEquals(1009, client.awaitCloseCode());
        }
    }

    @Test
    void aMessageJustUnderTheLimitIsAccepted() {
        try (WsClient client = connect("near-limit")) {
            String frame = "{\"type\":\"ping\",\"padding\":\"" + "x".repeat(65_000) + "\"}";
            client.send(frame);
            assertEquals("{\"type\":\"pong\"}", client.nextText());
        }
    }

    @Test
    void aBinaryFrameClosesWith1003() {
        try (WsClient client = connect("binary-sender")) {
            client.sendBinary(new byte[] {1, 2, 3});
            assertEquals(1003, client.awaitCloseCode());
        }
    }
}
