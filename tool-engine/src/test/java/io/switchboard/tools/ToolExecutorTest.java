package io.switchboard.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolExecuting;
import io.switchboard.websocket.api.ToolStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ToolExecutorTest {
    private static final ObjectNode NO_PARAMETERS = JsonNodeFactory.instance.objectNode();

    private final List<EventPayload> emitted = new CopyOnWriteArrayList<>();
    private final Consumer<EventPayload> emitter = emitted::add;
    private final CountDownLatch release = new CountDownLatch(1);
    private ToolExecutor executor;

    private static Tool tool(String name, Duration timeout, ToolBody body) {
        return new Tool() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return name;
            }

            @Override
            public ObjectNode parameterSchema() {
                return Tool.parameterSchema("{\"type\": \"object\"}");
            }

            @Override
            public Optional<Duration> timeout() {
                return Optional.ofNullable(timeout);
            }

            @Override
            public JsonNode execute(ObjectNode parameters) throws Exception {
                return body.run();
            }
        };
    }

    private interface ToolBody {
        JsonNode run() throws Exception;
    }

    private ToolExecutor executorOf(Tool... tools) {
        executor = new ToolExecutor(new ToolRegistry(List.of(tools)), Duration.ofSeconds(5), 4);
        return executor;
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (executor != null) {
            executor.stop();
        }
    }

    private ToolCompleted completedOnly() {
        assertEquals(2, emitted.size(), () -> "emitted " + emitted);
        assertInstanceOf(ToolExecuting.class, emitted.get(0));
        return assertInstanceOf(ToolCompleted.class, emitted.get(1));
    }

    @Test
    void aSuccessfulCallEmitsExecutingThenOneCompletedWithItsResult() throws Exception {
        ToolCall call = executorOf(tool("answer", null, () -> JsonNodeFactory.instance.numberNode(42)))
                .start(emitter, "t", "r", "answer", NO_PARAMETERS);
        ToolCompleted completed = call.await();
        assertEquals(ToolStatus.SUCCESS, completed.status());
        assertEquals(42, completed.results().intValue());
        assertEquals(completed, completedOnly());
        assertTrue(completed.durationMs() >= 0);
    }

    @Test
    void aToolExceptionBecomesAnErrorWithItsMessage() throws Exception {
        ToolCall call = executorOf(tool("bad", null, () -> {
                    throw new ToolException("no such thing");
                }))
                .start(emitter, "t", "r", "bad", NO_PARAMETERS);
        ToolCompleted completed = call.await();
        assertEquals(ToolStatus.ERROR, completed.status());
        assertEquals("no such thing", completed.error());
        assertNull(completed.results());
        assertEquals(completed, completedOnly());
    }

    @Test
    void anUnexpectedFailureBecomesAnError() throws Exception {
        ToolCall call = executorOf(tool("npe", null, () -> {
                    throw new NullPointerException("secret detail");
                }))
                .start(emitter, "t", "r", "npe", NO_PARAMETERS);
        ToolCompleted completed = call.await();
        assertEquals(ToolStatus.ERROR, completed.status());
        assertEquals("the tool failed: NullPointerException", completed.error());
        completedOnly();
    }

    @Test
    void aHangingToolTimesOutOnceAndIsInterrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        ToolCall call = executorOf(tool("hang", Duration.ofMillis(200), () -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                    return JsonNodeFactory.instance.nullNode();
                }))
                .start(emitter, "t", "r", "hang", NO_PARAMETERS);
        ToolCompleted completed = call.await();
        assertEquals(ToolStatus.TIMEOUT, completed.status());
        assertEquals("timed out after 200 ms", completed.error());
        assertTrue(completed.durationMs() >= 200, "duration " + completed.durationMs());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the tool thread was not interrupted");
        Thread.sleep(100);
        completedOnly();
    }

    @Test
    void anAbortEndsTheCallBeforeItReturnsAndTheLateResultIsIgnored() throws Exception {
        ToolCall call = executorOf(tool("slow", null, () -> {
                    release.await();
                    return JsonNodeFactory.instance.textNode("late");
                }))
                .start(emitter, "t", "r", "slow", NO_PARAMETERS);
        call.abort("run cancelled");
        ToolCompleted completed = completedOnly();
        assertEquals(ToolStatus.ERROR, completed.status());
        assertEquals("run cancelled", completed.error());
        release.countDown();
        Thread.sleep(100);
        completedOnly();
    }

    @Test
    void anUnknownToolFailsAtOnce() throws Exception {
        ToolCall call = executorOf().start(emitter, "t", "r", "nope", NO_PARAMETERS);
        assertEquals("no tool is named 'nope'", call.await().error());
        completedOnly();
    }

    @Test
    void callsBeyondTheConcurrencyLimitFailAtOnce() throws Exception {
        ToolExecutor busy = executorOf(tool("block", null, () -> {
            release.await();
            return JsonNodeFactory.instance.nullNode();
        }));
        for (int i = 0; i < 4; i++) {
            busy.start(payload -> {}, "t", "r" + i, "block", NO_PARAMETERS);
        }
        ToolCall rejected = busy.start(emitter, "t", "r", "block", NO_PARAMETERS);
        assertEquals(
                "too many tool calls are running; try again shortly",
                rejected.await().error());
    }
}
