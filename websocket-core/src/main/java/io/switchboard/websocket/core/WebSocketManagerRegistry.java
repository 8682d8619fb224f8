package io.switchboard.websocket.core;

import java.util.List;
import java.util.Optional;

/**
 * A read-only view of the live managers and their connections. Inject it as a CDI bean. Only core
 * registers managers and connections; every value returned is a snapshot.
 */
public interface WebSocketManagerRegistry {

    /** How many managers are live (one per user at most). */
    int managerCount();

    /** How many users have at least one open connection. */
    int connectedUserCount();

    /** How many connections are open, over all users. */
    int connectionCount();

    /** The users that have at least one open connection, sorted by user id. */
    List<UserConnections> connectedUsers();

    /**
     * The ids of the users that have at least one open connection, Switchboard's own internal users
     * left out, in no particular order: whom a broadcast reaches. Cheaper than {@link #connectedUsers()}.
     */
    List<String> connectedUserIds();

    /** The state of one user, if a manager exists for them. */
    Optional<UserConnections> user(String userId);
}
