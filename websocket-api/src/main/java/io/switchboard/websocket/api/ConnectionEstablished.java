package io.switchboard.websocket.api;

/**
 * The first frame on every connection.
 *
 * @param lastEventId         the user's newest event id in {@code epoch}, 0 when none
 * @param heartbeatIntervalMs how often the server pings, in milliseconds
 */
public record ConnectionEstablished(
        String connectionId,
        String userId,
        int protocolVersion,
        String epoch,
        long lastEventId,
        long heartbeatIntervalMs)
        implements ServerFrame {
    public static final String TYPE = "connection_established";
    /** The protocol version this module implements. */
    public static final int PROTOCOL_VERSION = 1;

    public ConnectionEstablished {
        Fields.nonBlank(connectionId, "connection_id");
        Fields.nonBlank(userId, "user_id");
        Fields.positive(protocolVersion, "protocol_version");
        Fields.nonBlank(epoch, "epoch");
        Fields.nonNegative(lastEventId, "last_event_id");
        Fields.positive(heartbeatIntervalMs, "heartbeat_interval_ms");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
