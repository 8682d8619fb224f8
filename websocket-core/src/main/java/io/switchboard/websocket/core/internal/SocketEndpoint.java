package io.switchboard.websocket.core.internal;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.switchboard.websocket.api.CancelRun;
import io.switchboard.websocket.api.ClientFrame;
import io.switchboard.websocket.api.ErrorCode;
import io.switchboard.websocket.api.ErrorFrame;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.api.FrameException;
import io.switchboard.websocket.api.Ping;
import io.switchboard.websocket.api.Pong;
import io.switchboard.websocket.api.UserMessage;
import io.switchboard.websocket.core.InboundFrameHandler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * {@code /ws}: the only WebSocket endpoint. Callbacks return {@link Uni} so that they run on the
 * connection's event loop, and they never block.
 */
@WebSocket(path = "/ws", endpointId = SocketEndpoint.ID)
public class SocketEndpoint {
    static final String ID = "switchboard-ws";

    private static final Logger LOG = Logger.getLogger(SocketEndpoint.class);
    private static final TypedKey<UserConnection> CONNECTION = new TypedKey<>("switchboard.connection");
    private static final String RATE_LIMITED =
            FrameCodec.encode(new ErrorFrame(ErrorCode.RATE_LIMITED, "too many frames; this one was dropped", null));

    @Inject
    ManagerFactory managers;

    @Inject
    WebSocketSettings settings;

    @Inject
    Vertx vertx;

    @Inject
    Instance<InboundFrameHandler> handlers;

    @Inject
    WebSocketMetrics metrics;

    @Inject
    Heartbeats heartbeats;

    private UserConnection.Limits limits;

    /** The same for every connection: read from the settings once. */
    private UserConnection.Limits limits() {
        if (limits == null) {
            limits = new UserConnection.Limits(
                    settings.outbound().maxFrames(),
                    settings.outbound().maxBytes(),
                    settings.outbound().slowConsumerTimeout().toMillis(),
                    settings.closeTimeout().toMillis());
        }
        return limits;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection socket) {
        String userId = socket.userData().get(UpgradeAuthenticator.USER_ID);
        UserWebSocketManager manager = managers.managerFor(userId);
        WebSocketSettings.RateLimit rate = settings.rateLimit();
        UserConnection connection = new UserConnection(
                socket,
                Vertx.currentContext(),
                vertx,
                socket.userData().get(UpgradeAuthenticator.TRANSPORT),
                manager,
                limits(),
                new FrameRateLimiter(rate.framesPerSecond(), rate.burst(), rate.floodFactor(), System.nanoTime()),
                metrics);
        socket.userData().put(CONNECTION, connection);
        ResumePoint resume = socket.userData().get(UpgradeAuthenticator.RESUME);
        manager.attach(
                connection,
                socket.userData().get(UpgradeAuthenticator.RESERVATION),
                resume,
                settings.heartbeatInterval().toMillis());
        connection.watch(socket.userData().get(UpgradeAuthenticator.CREDENTIAL_EXPIRES_AT), heartbeats);
        LOG.infof(
                "connection opened: user=%s connection=%s resume=%s",
                userId, socket.id(), resume == null ? "none" : resume.epoch() + "/" + resume.lastEventId());
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    public Uni<Void> onText(String text, WebSocketConnection socket) {
        UserConnection connection = socket.userData().get(CONNECTION);
        switch (connection.admitFrame()) {
            case FLOOD:
                connection.terminate(1008, "too many frames");
                return Uni.createFrom().voidItem();
            case LIMITED:
                metrics.errorFrame(ErrorCode.RATE_LIMITED);
                connection.reply(RATE_LIMITED);
                return Uni.createFrom().voidItem();
            default:
                break;
        }
        String requestId = null;
        try {
            ClientFrame frame = FrameCodec.decodeClientFrame(text);
            requestId = frame.requestId();
            dispatch(frame, connection);
        } catch (FrameException e) {
            replyError(connection, ErrorFrame.of(e));
        } catch (RuntimeException e) {
            LOG.errorf(e, "frame handling failed: user=%s connection=%s", connection.userId(), socket.id());
            replyError(
                    connection,
                    new ErrorFrame(ErrorCode.INVALID_MESSAGE, "the server could not process this frame", requestId));
        }
        return Uni.createFrom().voidItem();
    }

    private void replyError(UserConnection connection, ErrorFrame error) {
        metrics.errorFrame(error.code());
        connection.reply(FrameCodec.encode(error));
    }

    private void dispatch(ClientFrame frame, UserConnection connection) {
        if (frame instanceof Ping) {
            connection.reply(FrameCodec.encode(new Pong()));
            return;
        }
        if (!handlers.isResolvable()) {
            throw new FrameException(ErrorCode.UNKNOWN_TYPE, "this server runs no agents", frame.requestId());
        }
        if (frame instanceof UserMessage message) {
            handlers.get().onUserMessage(connection.manager(), message);
        } else if (frame instanceof CancelRun cancel) {
            handlers.get().onCancelRun(connection.manager(), cancel);
        }
    }

    @OnPongMessage
    public Uni<Void> onPong(Buffer data, WebSocketConnection socket) {
        socket.userData().get(CONNECTION).touch();
        return Uni.createFrom().voidItem();
    }

    @OnBinaryMessage
    public Uni<Void> onBinary(Buffer message, WebSocketConnection socket) {
        socket.userData().get(CONNECTION).terminate(1003, "binary frames are not supported");
        return Uni.createFrom().voidItem();
    }

    @OnClose
    public void onClose(WebSocketConnection socket, CloseReason reason) {
        UserConnection connection = socket.userData().get(CONNECTION);
        if (connection != null) {
            connection.closed();
        }
        metrics.closed(reason == null ? 1005 : reason.getCode());
        LOG.infof(
                "connection closed: user=%s connection=%s code=%d reason=%s",
                socket.userData().get(UpgradeAuthenticator.USER_ID),
                socket.id(),
                reason == null ? -1 : reason.getCode(),
                reason == null || reason.getMessage() == null ? "" : reason.getMessage());
    }

    @OnError
    public Uni<Void> onError(WebSocketConnection socket, Throwable failure) {
        UserConnection connection = socket.userData().get(CONNECTION);
        if (connection == null) { // failed before it was opened: nothing of ours to release
            LOG.errorf(failure, "connection failed before it opened: connection=%s", socket.id());
            return socket.close(new CloseReason(1011, "internal error"));
        }
        if (failure instanceof IllegalStateException
                && String.valueOf(failure.getMessage()).contains("max message size")) {
            connection.terminate(1009, "message too big");
        } else if (failure instanceof HttpClosedException || failure instanceof IOException) {
            LOG.debugf("connection lost: user=%s connection=%s: %s", connection.userId(), socket.id(), failure);
            connection.closed();
        } else {
            LOG.errorf(failure, "connection failed: user=%s connection=%s", connection.userId(), socket.id());
            connection.terminate(1011, "internal error");
        }
        return Uni.createFrom().voidItem();
    }
}
