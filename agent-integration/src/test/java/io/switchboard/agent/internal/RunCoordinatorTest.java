package io.switchboard.agent.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.agent.Agent;
import io.switchboard.agent.RunContext;
import io.switchboard.tools.Tool;
import io.switchboard.tools.ToolExecutor;
import io.switchboard.tools.ToolRegistry;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.AgentStarted;
import io.switchboard.websocket.api.AgentTextDelta;
import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.CancelRun;
import io.switchboard.websocket.api.ErrorCode;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.FrameException;
import io.switchboard.websocket.api.RunStatus;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolExecuting;
import io.switchboard.websocket.api.ToolStatus;
import io.switchboard.websocket.api.UserMessage;
import io.switchboard.websocket.core.EventStoreUnavailableException;
import io.switchboard.websocket.core.RunDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunCoordinatorTest {
    private final List<EventPayload> events = new CopyOnWriteArrayList<>();
    /** While set, the store refuses every event, like Redis while it is unreachable. */
    private final AtomicBoolean storeDown = new AtomicBoolean();

    private final CountDownLatch release = new CountDownLatch(1);
    private final ToolRegistry toolRegistry = new ToolRegistry(List.of(new Tool() {
        @Override
        public String name() {
            return "block";
        }

        @Override
        public String description() {
            return "blocks until the test ends";
        }

        @Override
        public ObjectNode parameterSchema() {
            return Tool.parameterSchema("{\"type\": \"object\"}");
        }

        @Override
        public JsonNode execute(ObjectNode parameters) throws Exception {
            release.await();
            return JsonNodeFactory.instance.nullNode();
        }
    }));
    private final ToolExecutor tools = new ToolExecutor(toolRegistry, Duration.ofSeconds(30), 8);
    private RunCoordinator coordinator;

    @AfterEach
    void stop() {
        release.countDown();
        if (coordinator != null) {
            coordinator.stop();
        }
    }

    private interface Body {
        String run(RunContext context) throws Exception;
    }

    private RunCoordinator coordinatorOf(Body body, Duration timeout) {
        Agent agent = new Agent() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public String run(RunContext context) throws Exception {
                return body.run(context);
            }
        };
        coordinator =
                new RunCoordinator(List.of(agent), tools, toolRegistry, "test", timeout, 4, RunDirectory.SINGLE_NODE);
        return coordinator;
    }

    private CompletionStage<Event> store(String userId, EventPayload payload) {
        if (storeDown.get()) {
            return CompletableFuture.failedFuture(new EventStoreUnavailableException("Redis did not answer", null));
        }
        synchronized (events) {
            events.add(payload);
            return CompletableFuture.completedFuture(new Event(events.size(), userId, Instant.now(), payload));
        }
    }

    /** Cancels as a client's frame would, throwing what the client would be told. */
    private void cancel(String userId, String runId) throws Throwable {
        try {
            coordinator
                    .cancel(userId, new CancelRun(runId, "x"))
                    .toCompletableFuture()
                    .join();
        } catch (CompletionException e) {
            throw e.getCause();
        }
    }

    private String start(String userId, String threadId) {
        return coordinator
                .start(userId, payload -> store(userId, payload), new UserMessage(threadId, "hello", "req-1"))
                .toCompletableFuture()
                .join();
    }

    private AgentCompleted awaitCompleted() throws InterruptedException {
        await("agent_completed")
                .atMost(Duration.ofSeconds(10))
                .until(() -> events.stream().anyMatch(AgentCompleted.class::isInstance));
        Thread.sleep(100); // anything emitted after agent_completed would show now
        AgentCompleted completed = (AgentCompleted) events.stream()
                .filter(AgentCompleted.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertEquals(completed, events.get(events.size() - 1), () -> "events after the end: " + events);
        assertEquals(1, events.stream().filter(AgentCompleted.class::isInstance).count());
        return completed;
    }

    private void awaitEvent(Class<?> type) {
        await(type.getSimpleName() + " in " + events)
                .atMost(Duration.ofSeconds(10))
                .until(() -> events.stream().anyMatch(type::isInstance));
    }

    @Test
    void answerTextGoesOutAtMostOnceEvery50MsJoinedAndWhatWaitsGoesBeforeTheEnd() throws Exception {
        coordinatorOf(
                run -> {
                    for (int i = 0; i < 10; i++) {
                        run.answer("w" + i + " "); // all at once: the first goes now, the rest waits 50 ms
                    }
                    Thread.sleep(200);
                    run.answer("late"); // long after the last delta: at once
                    run.answer(" tail"); // within 50 ms of it: waits, and goes before the end
                    return "done";
                },
                Duration.ofSeconds(10));
        start("alice", "t1");
        awaitCompleted();
        List<String> deltas = events.stream()
                .filter(AgentTextDelta.class::isInstance)
                .map(e -> ((AgentTextDelta) e).text())
                .toList();
        assertEquals(List.of("w0 ", "w1 w2 w3 w4 w5 w6 w7 w8 w9 ", "late", " tail"), deltas);
        assertInstanceOf(AgentCompleted.class, events.get(events.size() - 1));
        assertInstanceOf(AgentTextDelta.class, events.get(events.size() - 2), "the waiting text before the end");
    }

    @Test
    void aRunStartsThinksAndCompletesWithTheAgentsAnswer() throws Exception {
        coordinatorOf(
                run -> {
                    run.think("hmm");
                    return "hello back";
                },
                Duration.ofSeconds(10));
        String runId = start("alice", "t1");
        AgentCompleted completed = awaitCompleted();
        AgentStarted started = assertInstanceOf(AgentStarted.class, events.get(0));
        assertEquals(runId, started.runId());
        assertEquals("req-1", started.requestId());
        assertEquals("test", started.agentName());
        assertInstanceOf(AgentThinking.class, events.get(1));
        assertEquals(new AgentCompleted("t1", runId, RunStatus.COMPLETED, "hello back", null), completed);
    }

    @Test
    void anAgentThatThrowsEndsTheRunAsFailed() throws Exception {
        coordinatorOf(
                run -> {
                    throw new IllegalStateException("internal detail");
                },
                Duration.ofSeconds(10));
        start("alice", "t1");
        AgentCompleted completed = awaitCompleted();
        assertEquals(RunStatus.FAILED, completed.status());
        assertEquals("the agent failed: IllegalStateException", completed.error());
    }

    @Test
    void anAgentThatHangsEndsAsFailedAtTheDeadline() throws Exception {
        coordinatorOf(
                run -> {
                    release.await();
                    run.think("too late");
                    return "too late";
                },
                Duration.ofMillis(300));
        start("alice", "t1");
        AgentCompleted completed = awaitCompleted();
        assertEquals(RunStatus.FAILED, completed.status());
        assertEquals("the run took longer than 300 ms", completed.error());
        assertEquals(2, events.size());
    }

    @Test
    void cancellingDuringAToolCallCompletesTheToolFirst() throws Exception {
        coordinatorOf(
                run -> {
                    run.callTool("block", JsonNodeFactory.instance.objectNode());
                    run.think("never reached");
                    return "never reached";
                },
                Duration.ofSeconds(10));
        String runId = start("alice", "t1");
        awaitEvent(ToolExecuting.class);
        coordinator
                .cancel("alice", new CancelRun(runId, null))
                .toCompletableFuture()
                .join();
        AgentCompleted completed = awaitCompleted();
        assertEquals(RunStatus.CANCELLED, completed.status());
        ToolCompleted tool = assertInstanceOf(ToolCompleted.class, events.get(events.size() - 2));
        assertEquals(ToolStatus.ERROR, tool.status());
        assertEquals("the run was cancelled", tool.error());
        assertEquals(4, events.size(), () -> "events " + events);
    }

    @Test
    void oneThreadRunsOneRunAtATimeButOtherThreadsAndUsersMayRun() throws Exception {
        coordinatorOf(
                run -> {
                    release.await();
                    return "done";
                },
                Duration.ofSeconds(10));
        start("alice", "t1");
        FrameException busy = assertThrows(FrameException.class, () -> start("alice", "t1"));
        assertEquals(ErrorCode.RUN_IN_PROGRESS, busy.code());
        assertEquals("req-1", busy.requestId());
        start("alice", "t2");
        start("bob", "t1");
        assertEquals(3, events.stream().filter(AgentStarted.class::isInstance).count());
    }

    @Test
    void aRunWhoseStartCannotBeStoredIsRefusedAndLeavesTheThreadFree() throws Exception {
        coordinatorOf(run -> "done", Duration.ofSeconds(10));
        storeDown.set(true);
        CompletionException refused = assertThrows(CompletionException.class, () -> start("alice", "t1"));
        FrameException unavailable = assertInstanceOf(FrameException.class, refused.getCause());
        assertEquals(ErrorCode.UNAVAILABLE, unavailable.code());
        assertEquals("req-1", unavailable.requestId());
        assertEquals("the run could not start: Redis did not answer", unavailable.getMessage());
        assertTrue(events.isEmpty(), () -> "events " + events);
        storeDown.set(false);
        start("alice", "t1");
        assertEquals(RunStatus.COMPLETED, awaitCompleted().status());
    }

    @Test
    void aRunWhoseEventCannotBeStoredFailsAndItsEndIsStoredOnceTheStoreIsBack() throws Exception {
        CountDownLatch thought = new CountDownLatch(1);
        coordinatorOf(
                run -> {
                    storeDown.set(true);
                    run.think("lost while the store is down");
                    thought.countDown();
                    release.await();
                    run.think("never reached: the run has ended");
                    return "never reached";
                },
                Duration.ofSeconds(10));
        String runId = start("alice", "t1");
        thought.await();
        Thread.sleep(700); // the end is being retried meanwhile
        assertTrue(events.stream().noneMatch(AgentCompleted.class::isInstance), () -> "events " + events);
        storeDown.set(false);
        AgentCompleted completed = awaitCompleted();
        assertEquals(
                new AgentCompleted(
                        "t1",
                        runId,
                        RunStatus.FAILED,
                        "",
                        "an event of this run could not be stored: Redis did not answer"),
                completed);
        assertEquals(2, events.size(), () -> "events " + events);
    }

    @Test
    void anotherUsersRunCannotBeCancelledAndLooksLikeNoRun() throws Exception {
        coordinatorOf(
                run -> {
                    release.await();
                    return "done";
                },
                Duration.ofSeconds(10));
        String runId = start("alice", "t1");
        FrameException foreign = assertThrows(FrameException.class, () -> cancel("bob", runId));
        FrameException missing = assertThrows(FrameException.class, () -> cancel("bob", "run_nope"));
        assertEquals(ErrorCode.RUN_NOT_FOUND, foreign.code());
        assertEquals(ErrorCode.RUN_NOT_FOUND, missing.code());
        assertEquals(missing.getMessage().replace("run_nope", runId), foreign.getMessage());
        assertTrue(events.stream().noneMatch(AgentCompleted.class::isInstance));
    }

    @Test
    void shutdownEndsEveryRunningRun() throws Exception {
        coordinatorOf(
                run -> {
                    release.await();
                    return "done";
                },
                Duration.ofSeconds(10));
        start("alice", "t1");
        coordinator.stop();
        AgentCompleted completed = awaitCompleted();
        assertEquals(RunStatus.FAILED, completed.status());
        assertEquals("the server is shutting down", completed.error());
    }
}
