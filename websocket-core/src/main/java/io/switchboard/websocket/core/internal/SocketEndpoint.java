package io.switchboard.websocket.core.internal;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
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
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code /ws}: the only WebSocket endpoint. Callbacks return {@link Uni} so that they run on the
 * connection's event loop, and they never block.
 */
@WebSocket(path = "/ws", endpointId = SocketEndpoint.ID)
public class SocketEndpoint {
    static final String ID = "switchboard-ws";
    static final int CLOSE_UNSUPPORTED_DATA = 1003;
    static final int CLOSE_TOO_BIG = 1009;
    static final int CLOSE_INTERNAL_ERROR = 1011;

    private static final Logger LOG = Logger.getLogger(SocketEndpoint.class);
    private static final TypedKey<OutboundConnection> OUTBOUND = new TypedKey<>("switchboard.outbound");
    private static final TypedKey<UserWebSocketManager> MANAGER = new TypedKey<>("switchboard.manager");

    @Inject
    ManagerFactory managers;

    @Inject
    WebSocketSettings settings;

    @Inject
    Instance<InboundFrameHandler> handlers;

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        String userId = connection.userData().get(UpgradeAuthenticator.USER_ID);
        UserWebSocketManager manager = managers.managerFor(userId);
        OutboundConnection outbound = new OutboundConnection(connection, Vertx.currentContext(), userId);
        connection.userData().put(OUTBOUND, outbound);
        connection.userData().put(MANAGER, manager);
        manager.attach(outbound, connection.userData().get(UpgradeAuthenticator.RESERVATION),
                settings.heartbeatInterval().toMillis());
        LOG.infof("connection opened: user=%s connection=%s", userId, connection.id());
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    public Uni<Void> onText(String text, WebSocketConnection connection) {
        OutboundConnection outbound = connection.userData().get(OUTBOUND);
        UserWebSocketManager manager = connection.userData().get(MANAGER);
        String requestId = null;
        try {
            ClientFrame frame = FrameCodec.decodeClientFrame(text);
            requestId = frame.requestId();
            dispatch(frame, manager, outbound);
        } catch (FrameException e) {
            outbound.send(FrameCodec.encode(ErrorFrame.of(e)));
        } catch (RuntimeException e) {
            LOG.errorf(e, "frame handling failed: user=%s connection=%s", manager.userId(), connection.id());
            outbound.send(FrameCodec.encode(new ErrorFrame(ErrorCode.INVALID_MESSAGE,
                    "the server could not process this frame", requestId)));
        }
        return Uni.createFrom().voidItem();
    }

    private void dispatch(ClientFrame frame, UserWebSocketManager manager, OutboundConnection outbound) {
        if (frame instanceof Ping) {
            outbound.send(FrameCodec.encode(new Pong()));
            return;
        }
        if (!handlers.isResolvable()) {
            throw new FrameException(ErrorCode.UNKNOWN_TYPE, "this server runs no agents", frame.requestId());
        }
        if (frame instanceof UserMessage message) {
            handlers.get().onUserMessage(manager, message);
        } else if (frame instanceof CancelRun cancel) {
            handlers.get().onCancelRun(manager, cancel);
        }
    }

    @OnBinaryMessage
    public Uni<Void> onBinary(Buffer message, WebSocketConnection connection) {
        return connection.close(new CloseReason(CLOSE_UNSUPPORTED_DATA, "binary frames are not supported"));
    }

    @OnClose
    public void onClose(WebSocketConnection connection, CloseReason reason) {
        OutboundConnection outbound = connection.userData().get(OUTBOUND);
        UserWebSocketManager manager = connection.userData().get(MANAGER);
        if (outbound != null && manager != null) {
            manager.detach(outbound);
        }
        LOG.infof("connection closed: user=%s connection=%s code=%d reason=%s",
                connection.userData().get(UpgradeAuthenticator.USER_ID), connection.id(),
                reason == null ? -1 : reason.getCode(), reason == null || reason.getMessage() == null ? "" : reason.getMessage());
    }

    @OnError
    public Uni<Void> onError(WebSocketConnection connection, Throwable failure) {
        if (failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("max message size")) {
            return connection.close(new CloseReason(CLOSE_TOO_BIG, "message too big"));
        }
        LOG.errorf(failure, "connection failed: user=%s connection=%s",
                connection.userData().get(UpgradeAuthenticator.USER_ID), connection.id());
        return connection.close(new CloseReason(CLOSE_INTERNAL_ERROR, "internal error"));
    }
}
