package io.switchboard.websocket.core;

/**
 * A snapshot of one user's manager.
 *
 * @param connections how many connections of the user are open
 * @param lastEventId the newest event id in {@code epoch}, 0 if none
 * @param internal    whether the user is Switchboard's own (the delivery canary), not a person: it
 *                    gets no broadcasts, and the admin views show it as internal
 */
public record UserConnections(String userId, int connections, long lastEventId, String epoch, boolean internal) {}
