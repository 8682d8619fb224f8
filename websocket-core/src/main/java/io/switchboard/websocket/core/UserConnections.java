package io.switchboard.websocket.core;

/**
 * A snapshot of one user's manager.
 *
 * @param connections how many connections of the user are open
 * @param lastEventId the newest event id in {@code epoch}, 0 if none
 */
public record UserConnections(String userId, int connections, long lastEventId, String epoch) {}
