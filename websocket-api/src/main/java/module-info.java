/**
 * The Switchboard wire protocol (docs/websocket/protocol.md, version 1) as immutable Java types.
 *
 * <p>Main types:
 * <ul>
 *   <li>{@link io.switchboard.websocket.api.EventPayload}: what a consumer emits for a user
 *       (agent, tool and notification events), without the id and time the log assigns;</li>
 *   <li>{@link io.switchboard.websocket.api.Event}: a payload once appended to a user's log;</li>
 *   <li>{@link io.switchboard.websocket.api.ServerFrame} and
 *       {@link io.switchboard.websocket.api.ClientFrame}: everything that crosses the socket;</li>
 *   <li>{@link io.switchboard.websocket.api.FrameCodec}: the one JSON mapping of all of them, which
 *       rejects malformed input with a {@link io.switchboard.websocket.api.FrameException} that names
 *       the protocol error code and the precise reason.</li>
 * </ul>
 *
 * <p>This module reads no configuration and depends on nothing of Switchboard's.
 */
module io.switchboard.websocket.api {
    requires transitive com.fasterxml.jackson.databind;

    exports io.switchboard.websocket.api;
}
