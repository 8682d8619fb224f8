/**
 * Notifications to one user or to every connected user, delivered through each user's
 * {@link io.switchboard.websocket.core.WebSocketManager} like any other event.
 *
 * <p>Main type: {@link io.switchboard.notifications.NotificationService}. Reads no configuration.
 */
module io.switchboard.notifications {
    requires transitive io.switchboard.websocket.core;
    requires jakarta.inject;

    exports io.switchboard.notifications;
}
