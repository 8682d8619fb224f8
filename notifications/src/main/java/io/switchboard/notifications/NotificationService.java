package io.switchboard.notifications;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends notifications. Thread-safe; never blocks on I/O. The returned stages fail with an
 * {@link io.switchboard.websocket.core.EventStoreUnavailableException} when a notification could not
 * be stored.
 */
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
    public CompletionStage<Event> notify(String userId, Notification notification) {
        return managers.managerFor(userId).emit(notification);
    }

    /**
     * Notifies every user connected now, on any node (Switchboard's own internal users excepted).
     *
     * @return how many users were notified, once every one of their logs has it; if any could not be
     *     stored, the first failure (the others are stored all the same)
     */
    public CompletionStage<Integer> broadcast(Notification notification) {
        return registry.connectedUserIds().thenCompose(users -> {
            CompletableFuture<?>[] stored = new CompletableFuture<?>[users.size()];
            for (int i = 0; i < stored.length; i++) {
                stored[i] = managers.managerFor(users.get(i)).emit(notification).toCompletableFuture();
            }
            return CompletableFuture.allOf(stored).thenApply(ignored -> users.size());
        });
    }
}
