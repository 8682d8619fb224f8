package io.switchboard.notifications;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.core.UserConnections;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Sends notifications. Thread-safe; never blocks on I/O. */
@Singleton
public class NotificationService {
    private final WebSocketManagerFactory managers;
    private final WebSocketManagerRegistry registry;

    @Inject
    public NotificationService(WebSocketManagerFactory managers, WebSocketManagerRegistry registry) {
        this.managers = managers;
        this.registry = registry;
    }

    /**
     * Notifies one user. The notification is logged like any event, so a user who is offline now
     * receives it on resuming.
     */
    public Event notify(String userId, Notification notification) {
        return managers.managerFor(userId).emit(notification);
    }

    /**
     * Notifies every user connected now (Switchboard's own internal users excepted).
     *
     * @return how many users were notified
     */
    public int broadcast(Notification notification) {
        int users = 0;
        for (UserConnections user : registry.connectedUsers()) {
            if (!user.internal()) {
                managers.managerFor(user.userId()).emit(notification);
                users++;
            }
        }
        return users;
    }
}
