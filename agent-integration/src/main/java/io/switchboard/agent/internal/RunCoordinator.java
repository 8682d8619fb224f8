package io.switchboard.agent.internal;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.switchboard.agent.Agent;
import io.switchboard.agent.AgentException;
import io.switchboard.agent.AgentSettings;
import io.switchboard.agent.RunEndedException;
import io.switchboard.agent.ToolDescription;
import io.switchboard.tools.DeadlineExecutor;
import io.switchboard.tools.Tool;
import io.switchboard.tools.ToolExecutor;
import io.switchboard.tools.ToolRegistry;
import io.switchboard.websocket.api.AgentStarted;
import io.switchboard.websocket.api.CancelRun;
import io.switchboard.websocket.api.ErrorCode;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.FrameException;
import io.switchboard.websocket.api.RunStatus;
import io.switchboard.websocket.api.UserMessage;
import io.switchboard.websocket.core.InboundFrameHandler;
import io.switchboard.websocket.core.RunDirectory;
import io.switchboard.websocket.core.WebSocketManager;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Starts, cancels and ends agent runs for core's inbound frames: one run per user and thread at a
 * time, each on an agent thread with a deadline. This node's runs are kept here; the
 * {@link RunDirectory} keeps the rule across nodes and carries a cancel to the node running the run.
 */
@Singleton
public final class RunCoordinator implements InboundFrameHandler {
    private static final Logger LOG = Logger.getLogger(RunCoordinator.class);
    /** Before websocket-core closes the connections at shutdown (its observer has priority 5000). */
    private static final int SHUTDOWN_PRIORITY = 1000;

    private final Agent agent;
    private final ToolExecutor tools;
    private final List<ToolDescription> toolDescriptions;
    /** Sends a run's waiting answer text when its 50 ms are up. */
    private final ScheduledExecutorService deltaTimer;

    private final Duration runTimeout;
    private final ConcurrentHashMap<String, Run> runsById = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Run> runsByThread = new ConcurrentHashMap<>();
    private final DeadlineExecutor runs;
    private final RunDirectory directory;

    @Inject
    RunCoordinator(
            Instance<Agent> agents,
            ToolExecutor tools,
            ToolRegistry toolRegistry,
            AgentSettings settings,
            RunDirectory directory) {
        this(
                agents.stream().toList(),
                tools,
                toolRegistry,
                settings.name(),
                settings.runTimeout(),
                settings.maxConcurrentRuns(),
                directory);
    }

    RunCoordinator(
            List<Agent> agents,
            ToolExecutor tools,
            ToolRegistry toolRegistry,
            String agentName,
            Duration runTimeout,
            int maxConcurrentRuns,
            RunDirectory directory) {
        this.directory = directory;
        directory.onCancelRequest(this::cancelHere);
        this.agent = choose(agents, agentName);
        this.tools = tools;
        List<ToolDescription> descriptions = new ArrayList<>();
        for (Tool tool : toolRegistry.all()) {
            descriptions.add(new ToolDescription(tool.name(), tool.description(), tool.parameterSchema()));
        }
        this.toolDescriptions = List.copyOf(descriptions);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "switchboard-answer-deltas");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.deltaTimer = timer;
        this.runTimeout = runTimeout;
        this.runs = new DeadlineExecutor("switchboard-agent", maxConcurrentRuns);
    }

    static Agent choose(List<Agent> agents, String name) {
        Agent chosen = null;
        for (Agent candidate : agents) {
            if (candidate.name().equals(name)) {
                if (chosen != null) {
                    throw new IllegalStateException("two agents are named '" + name + "': "
                            + chosen.getClass().getName() + " and "
                            + candidate.getClass().getName());
                }
                chosen = candidate;
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("switchboard.agent.name is '" + name + "', but the agents are "
                    + agents.stream().map(Agent::name).sorted().toList());
        }
        return chosen;
    }

    @Override
    public CompletionStage<Void> onUserMessage(WebSocketManager manager, UserMessage message) {
        return start(manager.userId(), manager::emit, message).thenApply(runId -> null);
    }

    /**
     * Starts a run of that user's message once its {@code agent_started} is stored; its events go to
     * {@code store}.
     *
     * @return the run's id, or a {@link FrameException} if the run was refused or could not start
     */
    CompletionStage<String> start(
            String userId, Function<EventPayload, CompletionStage<Event>> store, UserMessage message) {
        String threadKey = userId + '\n' + message.threadId();
        String runId = "run_" + UUID.randomUUID().toString().replace("-", "");
        Run run = new Run(
                userId,
                store,
                tools,
                toolDescriptions,
                deltaTimer,
                message.threadId(),
                runId,
                message.content(),
                ended -> {
                    runsById.remove(runId, ended);
                    runsByThread.remove(threadKey, ended);
                    directory.release(userId, message.threadId(), runId);
                });
        if (runsByThread.putIfAbsent(threadKey, run) != null) {
            throw runInProgress(message);
        }
        return directory
                .claim(userId, message.threadId(), runId)
                .handle((claimed, failure) -> {
                    if (failure != null || !claimed) {
                        run.abandon();
                        throw failure == null
                                ? runInProgress(message)
                                : new FrameException(
                                        ErrorCode.UNAVAILABLE,
                                        "the run could not start: " + RunEvents.rootMessage(failure),
                                        message.requestId());
                    }
                    return run;
                })
                // the agent runs only once the run's start is stored, so that no event of it comes first
                .thenCompose(claimed ->
                        store.apply(new AgentStarted(message.threadId(), runId, agent.name(), message.requestId())))
                .handle((started, failure) -> {
                    if (failure instanceof CompletionException wrapped
                            && wrapped.getCause() instanceof FrameException refused) {
                        throw refused; // the claim was refused, and the run abandoned
                    }
                    if (failure != null) {
                        run.abandon();
                        throw new FrameException(
                                ErrorCode.UNAVAILABLE,
                                "the run could not start: " + RunEvents.rootMessage(failure),
                                message.requestId());
                    }
                    runsById.put(runId, run); // cancellable from now on, once its start is stored
                    submit(run);
                    return runId;
                });
    }

    private static FrameException runInProgress(UserMessage message) {
        return new FrameException(
                ErrorCode.RUN_IN_PROGRESS,
                "thread '" + message.threadId() + "' already has a running run",
                message.requestId());
    }

    private void submit(Run run) {
        try {
            run.running(runs.submit(
                    () -> execute(run),
                    runTimeout,
                    () -> run.end(RunStatus.FAILED, "", "the run took longer than " + runTimeout.toMillis() + " ms")));
        } catch (RejectedExecutionException e) {
            run.end(RunStatus.FAILED, "", "the server is running too many runs; try again shortly");
        }
    }

    private void execute(Run run) {
        try {
            String answer = agent.run(run);
            run.end(RunStatus.COMPLETED, answer == null ? "" : answer, null);
        } catch (RunEndedException e) {
            LOG.debugf("run %s stopped after its end", run.runId());
        } catch (AgentException e) {
            LOG.warnf(
                    "agent %s failed in run %s of user %s: %s",
                    agent.name(), run.runId(), run.userId(), e.getMessage());
            run.end(RunStatus.FAILED, "", e.getMessage());
        } catch (InterruptedException e) {
            run.end(RunStatus.FAILED, "", "the run was interrupted");
        } catch (Exception | LinkageError | StackOverflowError e) {
            LOG.warnf(e, "agent %s failed in run %s of user %s", agent.name(), run.runId(), run.userId());
            run.end(RunStatus.FAILED, "", "the agent failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public CompletionStage<Void> onCancelRun(WebSocketManager manager, CancelRun message) {
        return cancel(manager.userId(), message);
    }

    /** Cancels the user's run here, or asks the node running it; fails with {@code run_not_found} if none does. */
    CompletionStage<Void> cancel(String userId, CancelRun message) {
        if (cancelHere(userId, message.runId())) {
            return CompletableFuture.completedFuture(null);
        }
        return directory.cancelElsewhere(userId, message.runId()).handle((asked, failure) -> {
            if (failure != null) {
                throw new FrameException(
                        ErrorCode.UNAVAILABLE,
                        "the run could not be cancelled: " + RunEvents.rootMessage(failure),
                        message.requestId());
            }
            if (!asked) {
                throw new FrameException(
                        ErrorCode.RUN_NOT_FOUND, "no running run '" + message.runId() + "'", message.requestId());
            }
            return null;
        });
    }

    /** Cancels the user's run if it runs on this node; whether it did. */
    private boolean cancelHere(String userId, String runId) {
        Run run = runsById.get(runId);
        if (run == null || !run.userId().equals(userId)) {
            return false;
        }
        run.end(RunStatus.CANCELLED, "", null);
        return true;
    }

    /**
     * Ends every run still going as soon as shutdown begins, while the sockets are open, so that each
     * client receives its {@code agent_completed} before core closes the connections.
     */
    void onShutdown(@Observes @Priority(SHUTDOWN_PRIORITY) ShutdownDelayInitiatedEvent event) {
        endAll();
    }

    /** Ends every run that is still going; the last resort when shutdown skips the delay. */
    @PreDestroy
    void stop() {
        endAll();
        runs.shutdown();
        deltaTimer.shutdown();
    }

    private void endAll() {
        for (Run run : List.copyOf(runsById.values())) {
            run.end(RunStatus.FAILED, "", "the server is shutting down");
        }
    }
}
