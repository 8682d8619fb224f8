package io.switchboard.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One tool call in flight. Whatever ends it first (the tool's result or failure, its timeout, or an
 * {@link #abort}) emits its one {@code tool_completed}; everything after that is ignored. The
 * emission happens under this object's lock, so when {@link #abort} returns, the call's
 * {@code tool_completed} has been emitted.
 */
public final class ToolCall {
    private final Consumer<EventPayload> emitter;
    private final String threadId;
    private final String runId;
    private final String toolName;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<ToolCompleted> completion = new CompletableFuture<>();
    private boolean ended;
    private DeadlineExecutor.Task task;

    ToolCall(Consumer<EventPayload> emitter, String threadId, String runId, String toolName) {
        this.emitter = emitter;
        this.threadId = threadId;
        this.runId = runId;
        this.toolName = toolName;
    }

    /** The tool's name. */
    public String toolName() {
        return toolName;
    }

    /**
     * Waits for the call's end.
     *
     * @return the {@code tool_completed} payload that was emitted
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public ToolCompleted await() throws InterruptedException {
        try {
            return completion.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a tool call's completion never fails", e);
        }
    }

    /** Ends the call now with status {@code error} and that reason, unless it has ended already. */
    public void abort(String reason) {
        fail(ToolStatus.ERROR, reason);
    }

    synchronized void running(DeadlineExecutor.Task task) {
        if (ended) {
            task.stop(true);
        } else {
            this.task = task;
        }
    }

    void succeed(JsonNode results) {
        end(ToolCompleted.success(threadId, runId, toolName, results, elapsedMillis()), false);
    }

    boolean fail(ToolStatus status, String error) {
        return end(ToolCompleted.failure(threadId, runId, toolName, status, error, elapsedMillis()), true);
    }

    private synchronized boolean end(ToolCompleted payload, boolean stopWork) {
        if (ended) {
            return false;
        }
        ended = true;
        emitter.accept(payload);
        completion.complete(payload);
        if (task != null) {
            task.stop(stopWork);
        }
        return true;
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
