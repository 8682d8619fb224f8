package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.Problem;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * {@code GET /ws}: the only WebSocket endpoint, served from Vert.x's own {@link ServerWebSocket} on
 * Quarkus' router. The upgrade is authenticated first; a refused one gets its HTTP status and no
 * WebSocket. An accepted one becomes a {@link UserConnection} of the user's manager.
 *
 * <p>Why not websockets-next: its connection exposes no write-queue signal (so a client that stops
 * reading can make the server hold without bound) and keeps the upgrade request's routing context
 * for the connection's lifetime; see docs/websocket/architecture.md.
 */
@Singleton
final class SocketRoute {
    static final String PATH = "/ws";
    private static final Logger LOG = Logger.getLogger(SocketRoute.class);
    private static final SecureRandom IDS = new SecureRandom();

    private final UpgradeAuthenticator authenticator;
    private final InboundFrames inbound;
    private final Heartbeats heartbeats;
    private final WebSocketMetrics metrics;
    private final WebSocketSettings settings;
    private final UserConnection.Limits limits;
    private final AtomicInteger openSockets = new AtomicInteger();

    @Inject
    SocketRoute(
            UpgradeAuthenticator authenticator,
            InboundFrames inbound,
            Heartbeats heartbeats,
            WebSocketMetrics metrics,
            WebSocketSettings settings) {
        this.authenticator = authenticator;
        this.inbound = inbound;
        this.heartbeats = heartbeats;
        this.metrics = metrics;
        this.settings = settings;
        WebSocketSettings.Outbound outbound = settings.outbound();
        this.limits = new UserConnection.Limits(
                outbound.maxFrames(),
                outbound.maxBytes(),
                outbound.slowConsumerTimeout().toMillis());
    }

    void register(@Observes @Priority(100) Router router) {
        router.route(HttpMethod.GET, PATH).handler(this::upgrade);
    }

    /** Sockets open now, including those that are closing; what shutdown waits for. */
    int openSockets() {
        return openSockets.get();
    }

    private void upgrade(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        if (!"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            problem(request.response(), Response.Status.BAD_REQUEST, "GET /ws takes only WebSocket upgrades");
            return;
        }
        // the check may complete on a Redis client's thread: continue on the request's event loop
        Context requestContext = Vertx.currentContext();
        authenticator
                .check(request)
                .onComplete(admitted -> requestContext.runOnContext(ignored -> {
                    if (admitted.failed()) {
                        refuse(request.response(), admitted.cause());
                        return;
                    }
                    UpgradeAuthenticator.Admission admission = admitted.result();
                    request.toWebSocket().onComplete(upgraded -> {
                        if (upgraded.failed()) {
                            admission.release();
                            LOG.infof(
                                    "upgrade failed: user=%s: %s",
                                    admission.manager().userId(), upgraded.cause());
                            return;
                        }
                        open(upgraded.result(), admission);
                    });
                }));
    }

    private void refuse(HttpServerResponse response, Throwable failure) {
        if (failure instanceof UpgradeAuthenticator.RefusedException refused) {
            Response.Status status = Response.Status.fromStatusCode(refused.refusal.status);
            if (status == Response.Status.UNAUTHORIZED) {
                response.putHeader("WWW-Authenticate", "Bearer");
            }
            problem(response, status, "the upgrade was refused: " + refused.refusal.reason);
        } else {
            LOG.errorf(failure, "the upgrade check failed");
            problem(response, Response.Status.INTERNAL_SERVER_ERROR, "the upgrade could not be checked");
        }
    }

    private static void problem(HttpServerResponse response, Response.Status status, String detail) {
        response.setStatusCode(status.getStatusCode())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Json.encode(Problem.of(status, detail)));
    }

    /** On the socket's event loop, right after the handshake. */
    private void open(ServerWebSocket socket, UpgradeAuthenticator.Admission admission) {
        // Vert.x would keep the upgrade's headers, the bearer token among them, for the connection's
        // lifetime; nothing reads them after the upgrade.
        socket.headers().clear();
        Context context = Vertx.currentContext();
        UserWebSocketManager manager = admission.manager();
        WebSocketSettings.RateLimit rate = settings.rateLimit();
        UserConnection connection = new UserConnection(
                HexFormat.of().toHexDigits(IDS.nextLong()),
                socket,
                context,
                manager,
                limits,
                new FrameRateLimiter(rate.framesPerSecond(), rate.burst(), rate.floodFactor(), System.nanoTime()),
                metrics);
        openSockets.incrementAndGet();
        socket.textMessageHandler(text -> inbound.onText(connection, text));
        socket.binaryMessageHandler(ignored -> connection.terminate(1003, "binary frames are not supported"));
        socket.pongHandler(ignored -> connection.touch());
        socket.exceptionHandler(failure -> onFailure(connection, failure));
        socket.closeHandler(ignored -> {
            openSockets.decrementAndGet();
            connection.closed();
            Short code = socket.closeStatusCode();
            metrics.closed(code == null ? 1006 : code);
            LOG.infof(
                    "connection closed: user=%s connection=%s code=%s reason=%s",
                    manager.userId(),
                    connection.id(),
                    code == null ? "-" : code,
                    socket.closeReason() == null ? "" : socket.closeReason());
        });
        ResumePoint resume = admission.resume();
        manager.attach(
                connection,
                admission.slot(),
                resume,
                settings.heartbeatInterval().toMillis());
        connection.watch(admission.credentialExpiresAtMillis(), heartbeats);
        LOG.infof(
                "connection opened: user=%s connection=%s resume=%s",
                manager.userId(),
                connection.id(),
                resume == null ? "none" : resume.epoch() + "/" + resume.lastEventId());
    }

    private static void onFailure(UserConnection connection, Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        if (failure instanceof IllegalStateException && message.contains("max message size")) {
            connection.terminate(1009, "message too big");
        } else {
            LOG.debugf("connection lost: user=%s connection=%s: %s", connection.userId(), connection.id(), failure);
        }
    }
}
