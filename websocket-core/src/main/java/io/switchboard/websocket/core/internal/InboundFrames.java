package io.switchboard.websocket.core.internal;

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
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * What a client sends: rate-limited, decoded, answered ({@code ping}) or handed to the agent module
 * ({@code user_message}, {@code cancel_run}); a frame that cannot be honoured is answered with an
 * {@code error} frame and the connection stays open. Runs on the connection's event loop.
 */
@Singleton
final class InboundFrames {
    private static final Logger LOG = Logger.getLogger(InboundFrames.class);
    private static final String RATE_LIMITED_MESSAGE = "too many frames; this one was dropped";
    private static final String PONG = FrameCodec.encode(new Pong());
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final Instance<InboundFrameHandler> handlers;
    private final WebSocketMetrics metrics;

    @Inject
    InboundFrames(Instance<InboundFrameHandler> handlers, WebSocketMetrics metrics) {
        this.handlers = handlers;
        this.metrics = metrics;
    }

    void onText(UserConnection connection, String text) {
        if (connection.closing()) {
            return;
        }
        switch (connection.admitFrame()) {
            case FLOOD:
                connection.terminate(1008, "too many frames");
                return;
            case LIMITED:
                replyError(connection, new ErrorFrame(ErrorCode.RATE_LIMITED, RATE_LIMITED_MESSAGE, requestId(text)));
                return;
            default:
                break;
        }
        String requestId = null;
        try {
            ClientFrame frame = FrameCodec.decodeClientFrame(text);
            String id = frame.requestId();
            requestId = id;
            dispatch(frame, connection).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    failed(connection, id, failure instanceof CompletionException ? failure.getCause() : failure);
                }
            });
        } catch (RuntimeException e) {
            failed(connection, requestId, e);
        }
    }

    private void failed(UserConnection connection, String requestId, Throwable failure) {
        if (failure instanceof FrameException e) {
            replyError(connection, ErrorFrame.of(e));
            return;
        }
        LOG.errorf(failure, "frame handling failed: user=%s connection=%s", connection.userId(), connection.id());
        replyError(
                connection,
                new ErrorFrame(ErrorCode.INVALID_MESSAGE, "the server could not process this frame", requestId));
    }

    /** The frame's {@code request_id}, so that a dropped frame's error can still name it; {@code null} if none. */
    private static String requestId(String text) {
        try {
            return FrameCodec.decodeClientFrame(text).requestId();
        } catch (FrameException e) {
            return e.requestId();
        }
    }

    private void replyError(UserConnection connection, ErrorFrame error) {
        metrics.errorFrame(error.code());
        connection.reply(FrameCodec.encode(error));
    }

    private CompletionStage<Void> dispatch(ClientFrame frame, UserConnection connection) {
        if (frame instanceof Ping) {
            connection.reply(PONG);
            return DONE;
        }
        if (!handlers.isResolvable()) {
            throw new FrameException(ErrorCode.UNKNOWN_TYPE, "this server runs no agents", frame.requestId());
        }
        if (frame instanceof UserMessage message) {
            return handlers.get().onUserMessage(connection.manager(), message);
        } else if (frame instanceof CancelRun cancel) {
            return handlers.get().onCancelRun(connection.manager(), cancel);
        }
        return DONE;
    }
}
