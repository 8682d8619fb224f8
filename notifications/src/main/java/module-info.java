/**
 * Notifications to one user or to every connected user, delivered through each user's
 * {@link io.switchboard.websocket.core.WebSocketManager} like any other event.
 *
 * <p>Main types: {@link io.switchboard.notifications.NotificationService} (the Java API) and
 * {@link io.switchboard.notifications.NotificationResource} ({@code POST /api/notifications}, role
 * {@code admin}). Reads no configuration.
 */
module io.switchboard.notifications {
    requires transitive io.switchboard.websocket.core;
    requires jakarta.inject;
    requires jakarta.ws.rs;
    requires jakarta.annotation;
    requires com.fasterxml.jackson.annotation;
    requires org.eclipse.microprofile.openapi;

    exports io.switchboard.notifications;
}
