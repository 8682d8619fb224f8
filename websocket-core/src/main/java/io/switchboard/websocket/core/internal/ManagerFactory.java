package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.WebSocketManagerFactory;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Creates each user's manager once, through the registry. */
@Singleton
public final class ManagerFactory implements WebSocketManagerFactory {
    private final ManagerRegistry registry;
    private final int retainedEvents;
    private final int maxConnectionsPerUser;
    private final Clock clock;

    @Inject
    ManagerFactory(ManagerRegistry registry, WebSocketSettings settings) {
        this(registry, settings.retention().events(), settings.maxConnectionsPerUser(), Clock.systemUTC());
    }

    ManagerFactory(ManagerRegistry registry, int retainedEvents, int maxConnectionsPerUser, Clock clock) {
        this.registry = registry;
        this.retainedEvents = retainedEvents;
        this.maxConnectionsPerUser = maxConnectionsPerUser;
        this.clock = clock;
    }

    @Override
    public UserWebSocketManager managerFor(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("a manager needs a user id");
        }
        return registry.managerFor(userId, id -> new UserWebSocketManager(id,
                new InMemoryEventLog(id, retainedEvents, clock), maxConnectionsPerUser));
    }
}
