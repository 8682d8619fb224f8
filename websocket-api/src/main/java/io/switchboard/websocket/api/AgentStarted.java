package io.switchboard.websocket.api;

/**
 * A run has started.
 *
 * @param threadId  the thread the run belongs to
 * @param runId     the run's id
 * @param agentName the agent that runs
 * @param requestId the {@code request_id} of the {@code user_message} that started the run, or
 *                  {@code null} when it had none
 */
public record AgentStarted(String threadId, String runId, String agentName, String requestId)
        implements RunEventPayload {
    public static final String TYPE = "agent_started";

    public AgentStarted {
        Fields.threadId(threadId);
        Fields.id(runId, "run_id");
        Fields.nonBlank(agentName, "agent_name");
        Fields.optionalId(requestId, "request_id");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
