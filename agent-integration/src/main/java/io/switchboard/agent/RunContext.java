package io.switchboard.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.websocket.api.ToolCompleted;
import java.util.List;

/** One run, as its agent sees it. Each step is reported to the run's user as an event. Thread-safe. */
public interface RunContext {

    /** The user the run belongs to. */
    String userId();

    /** The thread the message was sent on. */
    String threadId();

    /** This run's id. */
    String runId();

    /** The user's message. */
    String message();

    /** The tools that can be called, sorted by name, with their descriptions and parameter schemas. */
    List<ToolDescription> tools();

    /**
     * Reports a reasoning step ({@code agent_thinking}).
     *
     * @throws RunEndedException if the run has ended (cancelled, timed out)
     */
    void think(String reasoning);

    /**
     * Adds text to the run's answer as it is written ({@code agent_text_delta}). Text given within 50 ms
     * of the last delta waits and goes out joined with what follows, at most one event per 50 ms;
     * what waits is sent before the run's next other event. An empty text is ignored.
     *
     * @throws RunEndedException if the run has ended (cancelled, timed out)
     */
    void answer(String text);

    /**
     * Calls a tool and waits for its end; {@code tool_executing} and {@code tool_completed} are
     * reported on the way. A tool's failure or timeout is a result, not an exception.
     *
     * @throws RunEndedException    if the run has ended
     * @throws InterruptedException if the run ends while waiting
     */
    ToolCompleted callTool(String toolName, ObjectNode parameters) throws InterruptedException;
}
