package io.switchboard.websocket.api;

/** One reasoning step of a running agent. */
public record AgentThinking(String threadId, String runId, String reasoning) implements RunEventPayload {
    public static final String TYPE = "agent_thinking";

    public AgentThinking {
        Fields.threadId(threadId);
        Fields.id(runId, "run_id");
        Fields.required(reasoning, "reasoning");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
