package io.switchboard.websocket.api;

/**
 * A run has ended; every run that emitted {@link AgentStarted} emits exactly one of these.
 *
 * @param finalResponse the agent's answer, possibly empty when the run failed or was cancelled
 * @param error         why the run failed when {@code status} is {@code FAILED}, otherwise {@code null}
 */
public record AgentCompleted(String threadId, String runId, RunStatus status, String finalResponse, String error)
        implements RunEventPayload {
    public static final String TYPE = "agent_completed";

    public AgentCompleted {
        Fields.threadId(threadId);
        Fields.id(runId, "run_id");
        if (status == null) {
            throw new IllegalArgumentException("field 'status' is required");
        }
        Fields.required(finalResponse, "final_response");
        if (status == RunStatus.FAILED) {
            Fields.required(error, "error");
        } else if (error != null) {
            throw new IllegalArgumentException("field 'error' must be absent unless status is failed");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
