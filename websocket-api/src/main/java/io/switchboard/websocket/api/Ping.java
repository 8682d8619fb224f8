package io.switchboard.websocket.api;

/** An application-level ping; the server answers {@link Pong}. */
public record Ping(String requestId) implements ClientFrame {
    public static final String TYPE = "ping";

    public Ping {
        Fields.optionalId(requestId, "request_id");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
