package io.switchboard.websocket.core.internal;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * What the HTTP server must do for {@code /ws} that Quarkus' own keys do not say:
 * <ul>
 *   <li>no permessage-deflate: each compressed connection would hold a zlib deflater and inflater
 *       (hundreds of KB of native memory), far past what an idle connection may cost;</li>
 *   <li>a client that does not answer a close frame within {@code close-timeout} loses its TCP
 *       connection;</li>
 *   <li>a connection to which nothing could be written for {@code heartbeat-interval} +
 *       {@code close-timeout} is cut: a healthy one gets a ping every interval, so only a client that
 *       stopped reading (even its close frame) gets there, and this is the one supported way to
 *       free its socket, whose write never completes;</li>
 *   <li>the kernel send buffer, when {@code socket-send-buffer} sets one.</li>
 * </ul>
 */
@Singleton
final class TransportOptions implements HttpServerOptionsCustomizer {
    private final WebSocketSettings settings;

    @Inject
    TransportOptions(WebSocketSettings settings) {
        this.settings = settings;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply(options);
    }

    private void apply(HttpServerOptions options) {
        options.setPerMessageWebSocketCompressionSupported(false);
        options.setPerFrameWebSocketCompressionSupported(false);
        options.setWebSocketClosingTimeout(
                (int) Math.max(1, settings.closeTimeout().toSeconds()));
        long writeIdleMillis =
                settings.heartbeatInterval().plus(settings.closeTimeout()).toMillis();
        TimeUnit unit = options.getIdleTimeoutUnit();
        options.setWriteIdleTimeout((int) Math.max(1, unit.convert(writeIdleMillis, TimeUnit.MILLISECONDS)));
        settings.socketSendBuffer().ifPresent(options::setSendBufferSize);
    }
}
