package io.switchboard.agent.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.agent.RunContext;
import io.switchboard.agent.RunEndedException;
import io.switchboard.agent.ToolDescription;
import io.switchboard.tools.DeadlineExecutor;
import io.switchboard.tools.ToolCall;
import io.switchboard.tools.ToolExecutor;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.AgentTextDelta;
import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.RunStatus;
import io.switchboard.websocket.api.ToolCompleted;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One agent run. Every event of the run is emitted under this object's lock, and the first
 * {@link #end} wins: it completes an open tool call first, then emits {@code agent_completed}, after
 * which the run emits nothing more. If an event cannot be stored, the run ends as failed; the events
 * that end it are retried until they are stored.
 */
final class Run implements RunContext {
    /** At most one {@code agent_text_delta} per run in this time. */
    static final long DELTA_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final String userId;
    private final RunEvents events;
    private final ToolExecutor tools;
    private final List<ToolDescription> toolDescriptions;
    private final ScheduledExecutorService deltaTimer;
    private final String threadId;
    private final String runId;
    private final String message;
    private final Consumer<Run> onEnd;
    /** Written under the lock; read without it by {@link #emit}, which tool threads call holding their call's lock. */
    private volatile boolean ended;

    private ToolCall openCall;
    private DeadlineExecutor.Task task;
    /** Answer text not sent yet, and when the last delta went out. */
    private final StringBuilder pendingText = new StringBuilder();

    private long lastDeltaNanos = System.nanoTime() - DELTA_INTERVAL_NANOS;
    private ScheduledFuture<?> deltaFlush;

    Run(
            String userId,
            Function<EventPayload, CompletionStage<Event>> store,
            ToolExecutor tools,
            List<ToolDescription> toolDescriptions,
            ScheduledExecutorService deltaTimer,
            String threadId,
            String runId,
            String message,
            Consumer<Run> onEnd) {
        this.userId = userId;
        this.events = new RunEvents(runId, store, this::storeFailed);
        this.tools = tools;
        this.toolDescriptions = toolDescriptions;
        this.deltaTimer = deltaTimer;
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
    public List<ToolDescription> tools() {
        return toolDescriptions;
    }

    @Override
    public synchronized void think(String reasoning) {
        ensureActive();
        sendPendingText();
        events.emit(new AgentThinking(threadId, runId, reasoning));
    }

    @Override
    public synchronized void answer(String text) {
        ensureActive();
        if (text.isEmpty()) {
            return;
        }
        pendingText.append(text);
        long wait = lastDeltaNanos + DELTA_INTERVAL_NANOS - System.nanoTime();
        if (wait <= 0) {
            sendPendingText();
        } else if (deltaFlush == null) {
            deltaFlush = deltaTimer.schedule(this::deltaDue, wait, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void deltaDue() {
        deltaFlush = null;
        if (!ended) {
            sendPendingText();
        }
    }

    /** Sends the answer text that waits, if any; under the lock, before the run's next other event. */
    private void sendPendingText() {
        if (deltaFlush != null) {
            deltaFlush.cancel(false);
            deltaFlush = null;
        }
        if (pendingText.length() == 0) {
            return;
        }
        AgentTextDelta delta = new AgentTextDelta(threadId, runId, pendingText.toString());
        pendingText.setLength(0);
        lastDeltaNanos = System.nanoTime();
        if (ended) {
            events.emitFinal(delta);
        } else {
            events.emit(delta);
        }
    }

    @Override
    public ToolCompleted callTool(String toolName, ObjectNode parameters) throws InterruptedException {
        ToolCall call;
        synchronized (this) {
            ensureActive();
            sendPendingText();
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
        onEnd.accept(this);
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
        sendPendingText(); // the answer so far, before the run's end
        if (openCall != null) {
            openCall.abort(status == RunStatus.CANCELLED ? "the run was cancelled" : "the run ended: " + error);
            openCall = null;
        }
        events.emitFinal(new AgentCompleted(threadId, runId, status, finalResponse, error));
        if (task != null) {
            task.stop(status != RunStatus.COMPLETED);
        }
        onEnd.accept(this);
        return true;
    }
}
