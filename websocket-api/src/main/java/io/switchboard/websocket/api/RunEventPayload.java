package io.switchboard.websocket.api;

/** An event that belongs to an agent run and therefore carries its thread and run ids. */
public sealed interface RunEventPayload extends EventPayload
        permits AgentStarted, AgentThinking, AgentTextDelta, ToolExecuting, ToolCompleted, AgentCompleted {

    /** The conversation thread the run belongs to. */
    String threadId();

    /** The run's id, unique per server. */
    String runId();
}
