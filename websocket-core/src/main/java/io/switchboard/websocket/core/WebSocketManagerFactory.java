package io.switchboard.websocket.core;

/**
 * The only way to obtain a {@link WebSocketManager}. Inject it as a CDI bean.
 *
 * <p>Thread-safe: concurrent calls for the same user return the same instance, created once.
 */
public interface WebSocketManagerFactory {

    /**
     * The manager of that user, created on first use.
     *
     * @param userId the verified user id; not {@code null} or blank
     * @throws IllegalArgumentException if {@code userId} is {@code null} or blank
     */
    WebSocketManager managerFor(String userId);
}
