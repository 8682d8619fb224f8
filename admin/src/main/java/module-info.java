/**
 * The administrators' view of the WebSocket layer, over HTTP (role {@code admin}):
 * {@code GET /api/admin/connections} lists the connected users with their connection counts and
 * last event ids, from the read-only {@link io.switchboard.websocket.core.WebSocketManagerRegistry}.
 *
 * <p>Main type: {@link io.switchboard.admin.ConnectionsResource}. Reads no configuration.
 */
module io.switchboard.admin {
    requires io.switchboard.websocket.core;
    requires io.switchboard.notifications;
    requires jakarta.inject;
    requires jakarta.ws.rs;
    requires jakarta.annotation;
    requires com.fasterxml.jackson.annotation;

    exports io.switchboard.admin;
}
