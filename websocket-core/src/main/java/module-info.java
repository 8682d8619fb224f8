/**
 * The canonical WebSocket layer: the one place where Switchboard touches a WebSocket.
 *
 * <p>Exported package {@link io.switchboard.websocket.core} (the only one):
 * <ul>
 *   <li>{@link io.switchboard.websocket.core.WebSocketManager}: a sealed, user-scoped manager; the
 *       only way to emit an event, and only to the user it belongs to;</li>
 *   <li>{@link io.switchboard.websocket.core.WebSocketManagerFactory}: the only way to obtain a
 *       manager, the same instance for the same user;</li>
 *   <li>{@link io.switchboard.websocket.core.WebSocketManagerRegistry}: a read-only view of the
 *       managers and their connections, and through
 *       {@link io.switchboard.websocket.core.ClusterConnections} of every node's, with each node's
 *       recent activity ({@link io.switchboard.websocket.core.ClusterActivity});</li>
 *   <li>{@link io.switchboard.websocket.core.InboundFrameHandler}: how {@code user_message} and
 *       {@code cancel_run} frames reach the agent module without core knowing it;</li>
 *   <li>{@link io.switchboard.websocket.core.RunDirectory}: one agent run per user and thread across
 *       nodes, and cancels carried to the node running a run;</li>
 *   <li>{@link io.switchboard.websocket.core.ThreadMemory}: short lists a consumer keeps per user and
 *       thread (an agent's conversation), in Redis in cluster mode;</li>
 *   <li>{@link io.switchboard.websocket.core.WebSocketCompliance}: the runtime check of the
 *       single-manager rule, also served as the wellness check {@code websocket-managers} and the
 *       counter {@code switchboard.managers.retired.uses};</li>
 *   <li>{@link io.switchboard.websocket.core.Problem}: the RFC 9457 body of every HTTP error.</li>
 * </ul>
 *
 * <p>Everything else (the {@code /ws} endpoint, authentication at the upgrade, one-time tickets,
 * per-user event logs, outbound delivery) lives in {@code io.switchboard.websocket.core.internal},
 * which is not exported.
 *
 * <p>Configuration ({@code switchboard.websocket.*}, all optional; the table with defaults is in
 * {@code docs/websocket/protocol.md}): {@code max-connections-per-user}, {@code ticket-ttl},
 * {@code heartbeat-interval}, {@code retention.events}, {@code retention.idle-ttl},
 * {@code outbound.max-frames}, {@code outbound.max-bytes}, {@code outbound.slow-consumer-timeout},
 * {@code rate-limit.frames-per-second}, {@code rate-limit.burst}, {@code rate-limit.flood-factor},
 * {@code close-timeout}, {@code shutdown-timeout}, {@code activity.sample-interval},
 * {@code activity.window}, {@code canary.enabled}, {@code canary.interval},
 * {@code canary.max-silence}. Authentication reads the standard MicroProfile
 * JWT keys {@code mp.jwt.verify.publickey.location} and {@code mp.jwt.verify.issuer}.
 *
 * <p>Cluster mode ({@code docs/websocket/cluster.md}) is on when {@code quarkus.redis.hosts} is set:
 * the logs, ids, tickets and connection slots then live in Redis, through Quarkus' Redis client.
 * Its keys ({@code switchboard.cluster.*}, all optional): {@code key-prefix}, {@code node-id},
 * {@code redis-timeout}, {@code node-ttl}, {@code refresh-interval}.
 */
module io.switchboard.websocket.core {
    requires transitive io.switchboard.websocket.api;
    requires quarkus.vertx.http;
    requires quarkus.core;
    requires io.vertx.core;
    requires io.vertx.web;
    requires io.vertx.client.redis;
    requires smallrye.jwt;
    requires io.smallrye.mutiny;
    requires io.smallrye.config;
    requires io.quarkus.security.api;
    requires microprofile.jwt.auth.api;
    requires jakarta.cdi;
    requires jakarta.inject;
    requires jakarta.annotation;
    requires jakarta.ws.rs;
    requires resteasy.reactive;
    requires org.jboss.logging;
    requires microprofile.health.api;
    requires smallrye.health.api;
    requires micrometer.core;
    requires org.eclipse.microprofile.openapi;

    exports io.switchboard.websocket.core;
}
