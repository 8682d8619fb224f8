package io.switchboard.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.ToolExecuting;
import io.switchboard.websocket.api.ToolStatus;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs tool calls on tool threads, each with its timeout, and reports them to the run's user:
 * {@code tool_executing} when the call starts, then exactly one {@code tool_completed}.
 */
@Singleton
public class ToolExecutor {
    private static final Logger LOG = Logger.getLogger(ToolExecutor.class);

    private final ToolRegistry registry;
    private final Duration defaultTimeout;
    private final DeadlineExecutor calls;

    @Inject
    public ToolExecutor(ToolRegistry registry, ToolSettings settings) {
        this(registry, settings.defaultTimeout(), settings.maxConcurrentCalls());
    }

    /** An executor of the registry's tools with that default timeout and concurrency. */
    public ToolExecutor(ToolRegistry registry, Duration defaultTimeout, int maxConcurrentCalls) {
        this.registry = registry;
        this.defaultTimeout = defaultTimeout;
        this.calls = new DeadlineExecutor("switchboard-tool", maxConcurrentCalls);
    }

    /**
     * Starts a call: emits {@code tool_executing} before it returns; {@code tool_completed} follows
     * exactly once, with status {@code error} at once when no tool has that name or too many calls
     * are running. Never blocks.
     *
     * @param emitter where the call's events go: the calling run's user's manager
     */
    public ToolCall start(
            Consumer<EventPayload> emitter, String threadId, String runId, String toolName, ObjectNode parameters) {
        ToolCall call = new ToolCall(emitter, threadId, runId, toolName);
        emitter.accept(new ToolExecuting(threadId, runId, toolName, parameters));
        Optional<Tool> tool = registry.find(toolName);
        if (tool.isEmpty()) {
            call.fail(ToolStatus.ERROR, "no tool is named '" + toolName + "'");
            return call;
        }
        Duration timeout = tool.get().timeout().orElse(defaultTimeout);
        try {
            call.running(calls.submit(
                    () -> run(call, tool.get(), parameters),
                    timeout,
                    () -> call.fail(ToolStatus.TIMEOUT, "timed out after " + timeout.toMillis() + " ms")));
        } catch (RejectedExecutionException e) {
            call.fail(ToolStatus.ERROR, "too many tool calls are running; try again shortly");
        }
        return call;
    }

    private static void run(ToolCall call, Tool tool, ObjectNode parameters) {
        try {
            JsonNode result = tool.execute(parameters);
            if (result == null) {
                call.fail(ToolStatus.ERROR, "the tool returned no result");
            } else {
                call.succeed(result);
            }
        } catch (ToolException e) {
            call.fail(ToolStatus.ERROR, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.fail(ToolStatus.ERROR, "the call was interrupted");
        } catch (Exception | LinkageError | StackOverflowError e) {
            LOG.warnf(e, "tool %s failed", tool.name());
            call.fail(ToolStatus.ERROR, "the tool failed: " + e.getClass().getSimpleName());
        }
    }

    @PreDestroy
    void stop() {
        calls.shutdown();
    }
}
