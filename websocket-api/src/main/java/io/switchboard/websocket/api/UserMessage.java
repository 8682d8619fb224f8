package io.switchboard.websocket.api;

/**
 * Starts an agent run for the sending user on a thread.
 *
 * @param threadId  1-128 characters of {@code A-Za-z0-9_.:-}
 * @param content   1-32,768 characters (Unicode code points)
 * @param requestId optional correlation id, echoed in {@code agent_started} and in error frames
 */
public record UserMessage(String threadId, String content, String requestId) implements ClientFrame {
    public static final String TYPE = "user_message";

    public UserMessage {
        Fields.threadId(threadId);
        Fields.required(content, "content");
        int length = content.codePointCount(0, content.length());
        if (length < 1 || length > Fields.MAX_CONTENT_LENGTH) {
            throw new IllegalArgumentException(
                    "field 'content' must be 1-" + Fields.MAX_CONTENT_LENGTH + " characters");
        }
        Fields.optionalId(requestId, "request_id");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
