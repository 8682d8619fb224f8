package io.switchboard.websocket.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool call has ended.
 *
 * @param results    the tool's result (any JSON value) when {@code status} is {@code SUCCESS},
 *                   otherwise {@code null}
 * @param error      why the call failed when {@code status} is not {@code SUCCESS}, otherwise
 *                   {@code null}
 * @param durationMs how long the call took, in milliseconds
 */
public record ToolCompleted(
        String threadId,
        String runId,
        String toolName,
        ToolStatus status,
        JsonNode results,
        String error,
        long durationMs)
        implements RunEventPayload {
    public static final String TYPE = "tool_completed";

    public ToolCompleted {
        Fields.threadId(threadId);
        Fields.id(runId, "run_id");
        Fields.nonBlank(toolName, "tool_name");
        if (status == null) {
            throw new IllegalArgumentException("field 'status' is required");
        }
        if (status == ToolStatus.SUCCESS) {
            if (results == null) {
                throw new IllegalArgumentException("field 'results' is required when status is success");
            }
            if (error != null) {
                throw new IllegalArgumentException("field 'error' must be absent when status is success");
            }
            results = results.deepCopy();
        } else {
            Fields.required(error, "error");
            if (results != null) {
                throw new IllegalArgumentException("field 'results' must be absent unless status is success");
            }
        }
        Fields.nonNegative(durationMs, "duration_ms");
    }

    /** A successful call. */
    public static ToolCompleted success(
            String threadId, String runId, String toolName, JsonNode results, long durationMs) {
        return new ToolCompleted(threadId, runId, toolName, ToolStatus.SUCCESS, results, null, durationMs);
    }

    /** A call that failed ({@code ERROR}) or ran out of time ({@code TIMEOUT}). */
    public static ToolCompleted failure(
            String threadId, String runId, String toolName, ToolStatus status, String error, long durationMs) {
        return new ToolCompleted(threadId, runId, toolName, status, null, error, durationMs);
    }

    @Override
    public JsonNode results() {
        return results == null ? null : results.deepCopy();
    }

    @Override
    public String type() {
        return TYPE;
    }
}
