package io.switchboard.websocket.api;

/**
 * A notification for a user.
 *
 * @param threadId the thread it concerns, or {@code null}
 */
public record Notification(NotificationLevel level, String title, String body, String threadId)
        implements EventPayload {
    public static final String TYPE = "notification";
    /** Longest title, in characters. */
    public static final int MAX_TITLE_LENGTH = 200;
    /** Longest body, in characters. */
    public static final int MAX_BODY_LENGTH = 4_000;

    public Notification {
        if (level == null) {
            throw new IllegalArgumentException("field 'level' is required");
        }
        Fields.nonBlank(title, "title");
        Fields.required(body, "body");
        if (title.length() > MAX_TITLE_LENGTH) {
            throw new IllegalArgumentException("field 'title' must be at most " + MAX_TITLE_LENGTH + " characters");
        }
        if (body.length() > MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("field 'body' must be at most " + MAX_BODY_LENGTH + " characters");
        }
        if (threadId != null) {
            Fields.threadId(threadId);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
