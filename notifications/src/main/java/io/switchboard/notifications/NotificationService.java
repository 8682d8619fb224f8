package io.switchboard.notifications;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

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
        List<String> users = registry.connectedUserIds();
        for (String userId : users) {
            managers.managerFor(userId).emit(notification);
        }
        return users.size();
    }
}
