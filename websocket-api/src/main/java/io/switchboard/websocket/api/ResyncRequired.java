package io.switchboard.websocket.api;

/**
 * Sent instead of a replay that cannot be complete.
 *
 * @param epoch         the user's current epoch
 * @param lastEventId   the id the client asked to resume after
 * @param oldestEventId the oldest retained id, 0 when the log is empty
 */
public record ResyncRequired(String epoch, long lastEventId, long oldestEventId) implements ServerFrame {
    public static final String TYPE = "resync_required";

    public ResyncRequired {
        Fields.nonBlank(epoch, "epoch");
        Fields.nonNegative(lastEventId, "last_event_id");
        Fields.nonNegative(oldestEventId, "oldest_event_id");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
