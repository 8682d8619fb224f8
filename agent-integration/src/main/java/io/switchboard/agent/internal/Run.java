package io.switchboard.agent.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.agent.RunContext;
import io.switchboard.agent.RunEndedException;
import io.switchboard.tools.DeadlineExecutor;
import io.switchboard.tools.ToolCall;
import io.switchboard.tools.ToolExecutor;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.RunStatus;
import io.switchboard.websocket.api.ToolCompleted;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One agent run. Every event of the run is emitted under this object's lock, and the first
 * {@link #end} wins: it completes an open tool call first, then emits {@code agent_completed}, after
 * which the run emits nothing more.
 */
final class Run implements RunContext {
    private final String userId;
    private final Consumer<EventPayload> emitter;
    private final ToolExecutor tools;
    private final Map<String, String> toolDescriptions;
    private final String threadId;
    private final String runId;
    private final String message;
    private final Runnable onEnd;
    private boolean ended;
    private ToolCall openCall;
    private DeadlineExecutor.Task task;

    Run(
            String userId,
            Consumer<EventPayload> emitter,
            ToolExecutor tools,
            Map<String, String> toolDescriptions,
            String threadId,
            String runId,
            String message,
            Runnable onEnd) {
        this.userId = userId;
        this.emitter = emitter;
        this.tools = tools;
        this.toolDescriptions = toolDescriptions;
        this.threadId = threadId;
        this.runId = runId;
        this.message = message;
        this.onEnd = onEnd;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public String threadId() {
        return threadId;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public String message() {
        return message;
    }

    @Override
    public Map<String, String> tools() {
        return toolDescriptions;
    }

    @Override
    public synchronized void think(String reasoning) {
        ensureActive();
        emitter.accept(new AgentThinking(threadId, runId, reasoning));
    }

    @Override
    public ToolCompleted callTool(String toolName, ObjectNode parameters) throws InterruptedException {
        ToolCall call;
        synchronized (this) {
            ensureActive();
            call = tools.start(emitter, threadId, runId, toolName, parameters);
            openCall = call;
        }
        try {
            return call.await();
        } finally {
            synchronized (this) {
                if (openCall == call) {
                    openCall = null;
                }
            }
        }
    }

    private void ensureActive() {
        if (ended) {
            throw new RunEndedException(runId);
        }
    }

    synchronized void running(DeadlineExecutor.Task task) {
        if (ended) {
            task.stop(true);
        } else {
            this.task = task;
        }
    }

    /**
     * Ends the run unless it has ended: completes the open tool call, emits {@code agent_completed},
     * and interrupts the agent unless it finished by itself.
     *
     * @return whether this call ended the run
     */
    synchronized boolean end(RunStatus status, String finalResponse, String error) {
        if (ended) {
            return false;
        }
        ended = true;
        if (openCall != null) {
            openCall.abort(status == RunStatus.CANCELLED ? "the run was cancelled" : "the run ended: " + error);
            openCall = null;
        }
        emitter.accept(new AgentCompleted(threadId, runId, status, finalResponse, error));
        if (task != null) {
            task.stop(status != RunStatus.COMPLETED);
        }
        onEnd.run();
        return true;
    }
}
