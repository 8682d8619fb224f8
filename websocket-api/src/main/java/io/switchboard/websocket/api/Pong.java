package io.switchboard.websocket.api;

/** The answer to a client's {@link Ping}. */
public record Pong() implements ServerFrame {
    public static final String TYPE = "pong";

    @Override
    public String type() {
        return TYPE;
    }
}
