package io.switchboard.websocket.api;

/** A frame the server sends. */
public sealed interface ServerFrame permits Event, ConnectionEstablished, ResyncRequired, Pong, ErrorFrame {

    /** The frame's wire type. */
    String type();
}
