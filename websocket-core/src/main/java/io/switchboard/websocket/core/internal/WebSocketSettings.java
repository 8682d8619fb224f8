package io.switchboard.websocket.core.internal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Configuration of the WebSocket layer, under {@code switchboard.websocket}. */
@ConfigMapping(prefix = "switchboard.websocket")
public interface WebSocketSettings {

    /** Most connections one user may hold open; the upgrade beyond is refused with HTTP 429. */
    @WithDefault("10")
    int maxConnectionsPerUser();

    /** How long a ticket from {@code POST /api/ws/tickets} may be redeemed. */
    @WithDefault("30S")
    Duration ticketTtl();

    /**
     * How often the server pings each connection; announced to clients as
     * {@code heartbeat_interval_ms}. Also sets {@code quarkus.websockets-next.server.auto-ping-interval}.
     */
    @WithDefault("25S")
    Duration heartbeatInterval();

    /** What each user's event log keeps. */
    Retention retention();

    /** What each user's event log keeps. */
    interface Retention {
        /** How many of a user's newest events are kept for replay. */
        @WithDefault("1000")
        int events();

        /**
         * How long a user's manager and log are kept with no connection and no event; then they are
         * dropped, and the user's next connection starts a new epoch.
         */
        @WithDefault("10M")
        Duration idleTtl();
    }
}
