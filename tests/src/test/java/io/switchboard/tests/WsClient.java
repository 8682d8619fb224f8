package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.switchboard.websocket.api.ConnectionEstablished;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.api.ServerFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) for the tests: collects every text frame it receives and the
 * close code, and fails a test loudly when something does not arrive in time.
 */
final class WsClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;
    private final ConnectionEstablished established;
    private volatile boolean paused;
    private volatile boolean demandOwed;
    private volatile long firstPingNanos;
    private final long openedNanos;

    private WsClient(URI uri, String bearer) {
        openedNanos = System.nanoTime();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        StringBuilder partial = new StringBuilder();
        socket = builder.buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(partial.toString());
                            partial.setLength(0);
                        }
                        requestNext(webSocket);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                        if (firstPingNanos == 0) {
                            firstPingNanos = System.nanoTime();
                        }
                        requestNext(webSocket);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closeCode.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closeCode.complete(1006);
                    }
                })
                .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .join();
        established = assertInstanceOf(ConnectionEstablished.class, next(), "the first frame");
    }

    private void requestNext(WebSocket webSocket) {
        if (paused) {
            demandOwed = true;
        } else {
            webSocket.request(1);
        }
    }

    /** Stops reading from the socket: the server's frames pile up in the kernel and then in the server. */
    void pause() {
        paused = true;
    }

    /** Reads again. */
    void unpause() {
        paused = false;
        if (demandOwed) {
            demandOwed = false;
            socket.request(1);
        }
    }

    /** Drops the connection without a close handshake, as a network failure would. */
    void abort() {
        socket.abort();
    }

    static WsClient connect(URI uri, String bearer) {
        return new WsClient(uri, bearer);
    }

    /** The HTTP status that refused the upgrade; fails if the upgrade succeeded. */
    static int refusedStatus(URI uri, String bearer) {
        try (WsClient client = new WsClient(uri, bearer)) {
            throw new AssertionError("the upgrade was accepted for " + client.established.userId());
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** How long after the client began to connect its first ping arrived, in ms; -1 before it has. */
    long firstPingAfterMillis() {
        long at = firstPingNanos;
        return at == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(at - openedNanos);
    }

    ConnectionEstablished established() {
        return established;
    }

    void send(String text) {
        socket.sendText(text, true)
                .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true)
                .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    /** The next frame, decoded; fails when none arrives in time. */
    ServerFrame next() {
        return FrameCodec.decodeServerFrame(nextText());
    }

    String nextText() {
        try {
            String text = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                throw new AssertionError("no frame within " + WAIT.toSeconds() + " s");
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame's text if one has arrived already, else {@code null}; never waits. */
    String poll() {
        return frames.poll();
    }

    /** The next frame's text, waiting at most {@code wait}; {@code null} if none arrived. */
    String poll(Duration wait) throws InterruptedException {
        return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the server's close has arrived. */
    boolean closedByServer() {
        return closeCode.isDone();
    }

    /** Every frame up to and including the first that matches. */
    List<ServerFrame> until(Predicate<ServerFrame> last) {
        List<ServerFrame> received = new ArrayList<>();
        while (true) {
            ServerFrame frame = next();
            received.add(frame);
            if (last.test(frame)) {
                return received;
            }
        }
    }

    /** Whether no frame arrives within that time. */
    boolean quietFor(Duration duration) throws InterruptedException {
        return frames.poll(duration.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    /** The close code the server sent; fails when the connection stays open. */
    int awaitCloseCode() {
        return closeCode.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    void assertOpenWithPong() {
        send("{\"type\":\"ping\"}");
        assertEquals("{\"type\":\"pong\"}", nextText());
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
            closeCode.completeOnTimeout(1006, 1, TimeUnit.SECONDS).join();
        }
        socket.abort();
    }
}
