package io.switchboard.websocket.api;

/**
 * A piece of a running agent's answer, as the model writes it. A run's answer so far is the
 * concatenation of its deltas in event id order; its {@link AgentCompleted} carries the whole answer.
 */
public record AgentTextDelta(String threadId, String runId, String text) implements RunEventPayload {
    public static final String TYPE = "agent_text_delta";

    public AgentTextDelta {
        Fields.threadId(threadId);
        Fields.id(runId, "run_id");
        Fields.required(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("field 'text' must not be empty");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
