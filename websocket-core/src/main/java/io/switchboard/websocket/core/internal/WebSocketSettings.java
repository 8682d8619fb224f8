package io.switchboard.websocket.core.internal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

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
     * {@code heartbeat_interval_ms}. A connection not heard from for two intervals is closed with 1001.
     */
    @WithDefault("25S")
    Duration heartbeatInterval();

    /** What each user's event log keeps. */
    Retention retention();

    /** Each connection's outbound queue. */
    Outbound outbound();

    /** Each connection's inbound frame rate. */
    RateLimit rateLimit();

    /**
     * The kernel send buffer (SO_SNDBUF) of every accepted connection, in bytes; unset, the kernel
     * sizes it by itself, up to {@code net.ipv4.tcp_wmem} (4 MiB on common Linux). It is what a
     * client that stops reading can make the kernel hold beside the outbound bound. Applies to the
     * whole HTTP server.
     */
    Optional<Integer> socketSendBuffer();

    /** How long a closing connection may take to answer the close frame before its TCP connection is cut. */
    @WithDefault("5S")
    Duration closeTimeout();

    /** At shutdown, how long to wait for the connections to close after the final events and the 1001 close. */
    @WithDefault("5S")
    Duration shutdownTimeout();

    /** The delivery canary: a probe event sent to an internal user over a real loopback connection. */
    Canary canary();

    /** The samples behind the dashboard's plots. */
    Activity activity();

    /** How often each node samples its events per second, connections and delivery p99, and for how long it keeps them. */
    interface Activity {
        /** How often a sample is taken. */
        @WithDefault("5S")
        Duration sampleInterval();

        /** How far back the samples go. */
        @WithDefault("10M")
        Duration window();
    }

    /** The delivery canary, which readiness ({@code websocket-delivery}) depends on. */
    interface Canary {
        /** Whether the canary runs (and readiness includes it). */
        @WithDefault("true")
        boolean enabled();

        /** How often a probe event is emitted. */
        @WithDefault("2S")
        Duration interval();

        /** How long without a probe arriving before readiness goes DOWN. */
        @WithDefault("10S")
        Duration maxSilence();
    }

    /** Each connection's outbound queue: frames handed to the socket and not yet written to it. */
    interface Outbound {
        /** Most frames in the queue. */
        @WithDefault("1000")
        int maxFrames();

        /** Most bytes (UTF-8) in the queue. */
        @WithDefault("1048576")
        int maxBytes();

        /**
         * How long the queue may stay full while events wait before the connection is closed with
         * 1013; it is closed at once when an event it has not been sent leaves the log.
         */
        @WithDefault("3S")
        Duration slowConsumerTimeout();
    }

    /** Each connection's inbound frame rate (a token bucket). */
    interface RateLimit {
        /** Frames per second a connection may send, sustained. */
        @WithDefault("20")
        int framesPerSecond();

        /** Frames a connection may send in a burst. */
        @WithDefault("40")
        int burst();

        /**
         * A connection that sends more than this many times {@code frames-per-second} in each of two
         * seconds in a row is closed with 1008.
         */
        @WithDefault("5")
        int floodFactor();
    }

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
