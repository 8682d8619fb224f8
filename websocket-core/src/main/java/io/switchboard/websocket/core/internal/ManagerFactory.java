package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.WebSocketManagerFactory;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Hands out each user's live manager, which the registry creates once. */
@Singleton
public final class ManagerFactory implements WebSocketManagerFactory {
    private final ManagerRegistry registry;

    @Inject
    ManagerFactory(ManagerRegistry registry) {
        this.registry = registry;
    }

    @Override
    public UserWebSocketManager managerFor(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("a manager needs a user id");
        }
        return registry.managerFor(userId);
    }
}
