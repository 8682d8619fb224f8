/**
 * The administrators' view of the WebSocket layer, over HTTP (role {@code admin}):
 * <ul>
 *   <li>{@code GET /api/admin/connections}: the connected users with their connection counts and
 *       last event ids ({@link io.switchboard.admin.ConnectionsResource});</li>
 *   <li>{@code DELETE /api/admin/users/{userId}/connections}: closes every connection of a user with
 *       1008 ({@link io.switchboard.admin.UserConnectionsResource});</li>
 *   <li>{@code GET /api/admin/compliance}: the runtime report of the single-manager rule
 *       ({@link io.switchboard.admin.ComplianceResource}).</li>
 * </ul>
 * Reads no configuration.
 */
module io.switchboard.admin {
    requires io.switchboard.websocket.core;
    requires jakarta.inject;
    requires jakarta.ws.rs;
    requires jakarta.annotation;
    requires com.fasterxml.jackson.annotation;
    requires org.jboss.logging;
    requires org.eclipse.microprofile.openapi;

    exports io.switchboard.admin;
}
