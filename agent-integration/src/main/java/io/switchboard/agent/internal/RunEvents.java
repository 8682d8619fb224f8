package io.switchboard.agent.internal;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Stores one run's events through its user's manager without waiting for each. A run's events are
 * appended in the order they are emitted (the manager keeps call order). The first event that cannot
 * be stored is reported once, so that the run ends; the events that end a run are retried until they
 * are stored, so that the client always gets its {@code agent_completed} once the store is back.
 */
final class RunEvents {
    private static final Logger LOG = Logger.getLogger(RunEvents.class);
    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long LONGEST_RETRY_MILLIS = 5_000;
    /** One line per this many failed attempts, so that an hour-long outage does not flood the log. */
    private static final int LOG_EVERY_ATTEMPTS = 12;

    private final String runId;
    private final Function<EventPayload, CompletionStage<Event>> store;
    private final Consumer<Throwable> onFailure;
    private boolean failed;
    private CompletableFuture<Void> finalEvents = CompletableFuture.completedFuture(null);

    RunEvents(String runId, Function<EventPayload, CompletionStage<Event>> store, Consumer<Throwable> onFailure) {
        this.runId = runId;
        this.store = store;
        this.onFailure = onFailure;
    }

    /** Stores an event of the running run; if it cannot be stored, the failure handler hears of it once. */
    void emit(EventPayload payload) {
        store.apply(payload).whenComplete((event, failure) -> {
            if (failure != null && firstFailure()) {
                onFailure.accept(failure);
            }
        });
    }

    /** Stores an event of the run's end after every final event before it, retrying until it is stored. */
    synchronized void emitFinal(EventPayload payload) {
        finalEvents = finalEvents.thenCompose(ignored -> storeUntilStored(payload, 1));
    }

    /** Completes once every final event so far is stored. */
    synchronized CompletionStage<Void> finalEventsStored() {
        return finalEvents;
    }

    private synchronized boolean firstFailure() {
        if (failed) {
            return false;
        }
        failed = true;
        return true;
    }

    private CompletableFuture<Void> storeUntilStored(EventPayload payload, int attempt) {
        return store.apply(payload)
                .handle((event, failure) -> {
                    if (failure == null) {
                        if (attempt > 1) {
                            LOG.infof("run %s: %s stored after %d attempts", runId, payload.type(), attempt);
                        }
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (attempt == 1 || attempt % LOG_EVERY_ATTEMPTS == 0) {
                        LOG.warnf(
                                "run %s: %s not stored yet (attempt %d), retrying: %s",
                                runId, payload.type(), attempt, rootMessage(failure));
                    }
                    long delay = Math.min(LONGEST_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(attempt - 1, 5));
                    return CompletableFuture.runAsync(
                                    () -> {}, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> storeUntilStored(payload, attempt + 1));
                })
                .thenCompose(Function.identity())
                .toCompletableFuture();
    }

    static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
