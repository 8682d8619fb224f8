package io.switchboard.websocket.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tool call has begun. Exactly one {@link ToolCompleted} with the same tool name follows it
 * before the run ends.
 *
 * @param parameters the call's arguments, a JSON object; copied on the way in and out, so the
 *                   record stays immutable
 */
public record ToolExecuting(String threadId, String runId, String toolName, ObjectNode parameters)
        implements RunEventPayload {
    public static final String TYPE = "tool_executing";

    public ToolExecuting {
        Fields.threadId(threadId);
        Fields.id(runId, "run_id");
        Fields.nonBlank(toolName, "tool_name");
        if (parameters == null) {
            throw new IllegalArgumentException("field 'parameters' is required");
        }
        parameters = parameters.deepCopy();
    }

    @Override
    public ObjectNode parameters() {
        return parameters.deepCopy();
    }

    @Override
    public String type() {
        return TYPE;
    }
}
