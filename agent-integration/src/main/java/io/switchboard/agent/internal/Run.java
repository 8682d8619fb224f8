package io.switchboard.agent.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.agent.RunContext;
import io.switchboard.agent.RunEndedException;
import io.switchboard.tools.DeadlineExecutor;
import io.switchboard.tools.ToolCall;
import io.switchboard.tools.ToolExecutor;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.RunStatus;
import io.switchboard.websocket.api.ToolCompleted;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One agent run. Every event of the run is emitted under this object's lock, and the first
 * {@link #end} wins: it completes an open tool call first, then emits {@code agent_completed}, after
 * which the run emits nothing more. If an event cannot be stored, the run ends as failed; the events
 * that end it are retried until they are stored.
 */
final class Run implements RunContext {
    private final String userId;
    private final RunEvents events;
    private final ToolExecutor tools;
    private final Map<String, String> toolDescriptions;
    private final String threadId;
    private final String runId;
    private final String message;
    private final Runnable onEnd;
    /** Written under the lock; read without it by {@link #emit}, which tool threads call holding their call's lock. */
    private volatile boolean ended;

    private ToolCall openCall;
    private DeadlineExecutor.Task task;

    Run(
            String userId,
            Function<EventPayload, CompletionStage<Event>> store,
            ToolExecutor tools,
            Map<String, String> toolDescriptions,
            String threadId,
            String runId,
            String message,
            Runnable onEnd) {
        this.userId = userId;
        this.events = new RunEvents(runId, store, this::storeFailed);
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
        events.emit(new AgentThinking(threadId, runId, reasoning));
    }

    @Override
    public ToolCompleted callTool(String toolName, ObjectNode parameters) throws InterruptedException {
        ToolCall call;
        synchronized (this) {
            ensureActive();
            call = tools.start(this::emit, threadId, runId, toolName, parameters);
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

    /** Events of a running run are stored without waiting; once it has ended, until they are stored. */
    private void emit(EventPayload payload) {
        if (ended) {
            events.emitFinal(payload);
        } else {
            events.emit(payload);
        }
    }

    private void storeFailed(Throwable failure) {
        end(RunStatus.FAILED, "", "an event of this run could not be stored: " + RunEvents.rootMessage(failure));
    }

    /** Completes once the events that ended the run are stored. */
    CompletionStage<Void> endStored() {
        return events.finalEventsStored();
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

    /** Forgets a run that never started because its start could not be stored. */
    synchronized void abandon() {
        ended = true;
        onEnd.run();
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
        events.emitFinal(new AgentCompleted(threadId, runId, status, finalResponse, error));
        if (task != null) {
            task.stop(status != RunStatus.COMPLETED);
        }
        onEnd.run();
        return true;
    }
}
