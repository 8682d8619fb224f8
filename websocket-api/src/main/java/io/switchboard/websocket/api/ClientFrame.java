package io.switchboard.websocket.api;

/** A frame a client sends. */
public sealed interface ClientFrame permits UserMessage, CancelRun, Ping {

    /** The frame's wire type. */
    String type();

    /** The client's correlation id, echoed in an {@link ErrorFrame}; {@code null} when absent. */
    String requestId();
}
