package io.switchboard.websocket.core.internal;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import org.jboss.logging.Logger;

/**
 * One open connection as the manager sees it. Every frame goes through the connection's own Vert.x
 * context, so frames reach the socket in the order they were handed over, whatever thread hands
 * them over.
 */
final class OutboundConnection {
    private static final Logger LOG = Logger.getLogger(OutboundConnection.class);

    private final WebSocketConnection connection;
    private final Context context;
    private final String userId;

    OutboundConnection(WebSocketConnection connection, Context context, String userId) {
        this.connection = connection;
        this.context = context;
        this.userId = userId;
    }

    String id() {
        return connection.id();
    }

    String userId() {
        return userId;
    }

    /** Queues a text frame; never blocks. Frames for a closed connection are dropped. */
    void send(String json) {
        context.runOnContext(ignored -> {
            if (connection.isOpen()) {
                connection.sendText(json).subscribe().with(
                        sent -> { },
                        failure -> LOG.debugf("send to connection %s failed: %s", id(), failure.getMessage()));
            }
        });
    }

    /** Closes the connection with that code and reason, after the frames queued before. */
    void close(int code, String reason) {
        context.runOnContext(ignored -> {
            if (connection.isOpen()) {
                connection.close(new CloseReason(code, reason)).subscribe().with(
                        closed -> { },
                        failure -> LOG.debugf("close of connection %s failed: %s", id(), failure.getMessage()));
            }
        });
    }
}
