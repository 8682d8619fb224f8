package io.switchboard.tests;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 for the {@code openai} agent's tests: it
 * serves the responses recorded in {@code src/test/resources/openai}, chosen by the first word of the
 * user's last message, streamed one SSE event every {@link #EVENT_GAP_MILLIS} ms:
 *
 * <ul>
 *   <li>{@code plain}: a three-piece answer;
 *   <li>{@code tools}: a {@code calculator} call, then a {@code text_statistics} call once the first
 *       result is in, then an answer once both are;
 *   <li>{@code limited}: HTTP 429 with {@code Retry-After}; {@code failing}: HTTP 500;
 *   <li>{@code cut}: two pieces, then the connection drops;
 *   <li>{@code hang}: one piece, then nothing, the connection held open;
 *   <li>{@code slow}: a word every 100 ms for 20 s.
 * </ul>
 *
 * Every request is kept, with when its connection closed.
 */
public final class FakeModelServer implements QuarkusTestResourceLifecycleManager {
    static final String API_KEY = "sk-test-5b1d9d4-never-log-this-key";
    static final long EVENT_GAP_MILLIS = 80;

    /** One request to the server; {@code closedAtNanos} completes if the client gave it up before its end. */
    record Received(JsonObject body, String authorization, CompletableFuture<Long> closedAtNanos) {
        /** The text of the last message with role {@code user}. */
        String lastUserMessage() {
            JsonArray messages = body.getJsonArray("messages");
            for (int i = messages.size() - 1; i >= 0; i--) {
                JsonObject message = messages.getJsonObject(i);
                if ("user".equals(message.getString("role"))) {
                    Object content = message.getValue("content");
                    return content instanceof String text ? text : String.valueOf(content);
                }
            }
            return "";
        }

        long messagesOfRole(String role) {
            return body.getJsonArray("messages").stream()
                    .filter(m -> role.equals(((JsonObject) m).getString("role")))
                    .count();
        }
    }

    static final List<Received> REQUESTS = new CopyOnWriteArrayList<>();

    private Vertx vertx;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the fake model server did not start", e);
        }
        return Map.ofEntries(
                Map.entry("switchboard.agent.name", "openai"),
                Map.entry("switchboard.agent.openai.base-url", "http://127.0.0.1:" + server.actualPort() + "/v1"),
                Map.entry("switchboard.agent.openai.api-key", API_KEY),
                Map.entry("switchboard.agent.openai.model", "gpt-4o-mini"),
                Map.entry("switchboard.agent.openai.request-timeout", "2S"),
                Map.entry("switchboard.agent.openai.max-retries", "1"),
                // everything the application and LangChain4j log, to look for the key in
                Map.entry("quarkus.log.file.enabled", "true"),
                Map.entry("quarkus.log.file.path", OpenAiAgentTest.LOG.toString()),
                Map.entry("quarkus.log.category.\"dev.langchain4j\".level", "DEBUG"));
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private void handle(HttpServerRequest request) {
        if (!"/v1/chat/completions".equals(request.path())) {
            request.response().setStatusCode(404).end();
            return;
        }
        request.body().onSuccess(buffer -> {
            CompletableFuture<Long> closed = new CompletableFuture<>();
            // the connection (HTTP/1.1), or only this request's stream (HTTP/2), closed before the end
            request.response().closeHandler(ignored -> closed.complete(System.nanoTime()));
            Received received = new Received(buffer.toJsonObject(), request.getHeader("Authorization"), closed);
            REQUESTS.add(received);
            answer(received, request.response());
        });
    }

    private void answer(Received received, HttpServerResponse response) {
        String scenario = received.lastUserMessage().split(" ", 2)[0];
        switch (scenario) {
            case "limited" -> error(response, 429, "rate-limited.json");
            case "failing" -> error(response, 500, "server-error.json");
            case "tools" -> {
                long results = received.messagesOfRole("tool");
                stream(
                        response,
                        events(results == 0 ? "tools-round-1" : results == 1 ? "tools-round-2" : "tools-answer"),
                        true);
            }
            case "cut" -> stream(response, events("cut"), false);
            case "hang" -> stream(response, events("plain").subList(0, 1), false);
            case "slow" -> {
                List<String> words = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    words.add("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word" + i
                            + " \"},\"finish_reason\":null}]}\n\n");
                }
                stream(response, words, true);
            }
            default -> stream(response, events("plain"), true);
        }
    }

    private void error(HttpServerResponse response, int status, String recording) {
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Retry-After", "1")
                .end(read(recording));
    }

    /** Writes the events one by one, then ends the response, or drops the connection if not {@code complete}. */
    private void stream(HttpServerResponse response, List<String> events, boolean complete) {
        response.setChunked(true).putHeader("Content-Type", "text/event-stream");
        response.setStatusCode(200);
        writeFrom(response, events, 0, complete);
    }

    private void writeFrom(HttpServerResponse response, List<String> events, int next, boolean complete) {
        if (response.closed()) {
            return;
        }
        if (next == events.size()) {
            if (complete) {
                response.end();
            } else if (events.size() > 1) { // a cut: the connection drops in the middle of the body
                response.reset();
            }
            return;
        }
        response.write(events.get(next));
        vertx.setTimer(EVENT_GAP_MILLIS, id -> writeFrom(response, events, next + 1, complete));
    }

    /** A recording's events, each with its blank line. */
    private static List<String> events(String recording) {
        List<String> events = new ArrayList<>();
        for (String event : read(recording + ".sse").split("\n\n")) {
            if (!event.isBlank()) {
                events.add(event.strip() + "\n\n");
            }
        }
        return events;
    }

    private static String read(String resource) {
        try (InputStream in = FakeModelServer.class.getResourceAsStream("/openai/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no recording " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
