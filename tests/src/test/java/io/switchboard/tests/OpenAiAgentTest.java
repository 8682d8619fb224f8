package io.switchboard.tests;

import static io.switchboard.tests.Frames.payload;
import static io.switchboard.tests.Frames.userMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.AgentStarted;
import io.switchboard.websocket.api.AgentTextDelta;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.RunStatus;
import io.switchboard.websocket.api.ServerFrame;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolExecuting;
import io.switchboard.websocket.api.ToolStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The {@code openai} agent, with LangChain4j's real client, against {@link FakeModelServer}: a local
 * OpenAI-compatible server serving recorded streams. Each test asserts the exact events a tab sees.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeModelServer.class, restrictToAnnotatedClass = true)
@MissionCritical
class OpenAiAgentTest {
    static final Path LOG = Path.of("target/openai-agent-test.log");

    @TestHTTPResource("/ws")
    URI endpoint;

    @TestHTTPResource("/")
    URI base;

    private WsClient connect(String user) {
        return WsClient.connect(Endpoints.ws(endpoint), Tokens.valid(user));
    }

    /** The events of one run, from {@code agent_started} to {@code agent_completed}. */
    private static List<Event> run(WsClient client, String thread, String message) {
        client.send(userMessage(thread, message, "r-" + thread));
        return Frames.events(client.until(Frames.runEnd()));
    }

    private static List<String> types(List<Event> events) {
        return events.stream().map(Event::type).toList();
    }

    private static List<String> deltas(List<Event> events) {
        return events.stream()
                .filter(e -> e.payload() instanceof AgentTextDelta)
                .map(e -> ((AgentTextDelta) e.payload()).text())
                .toList();
    }

    private static AgentCompleted end(List<Event> events) {
        return (AgentCompleted) events.get(events.size() - 1).payload();
    }

    private static List<FakeModelServer.Received> requestsFor(String message) {
        return FakeModelServer.REQUESTS.stream()
                .filter(r -> r.lastUserMessage().equals(message))
                .toList();
    }

    @Test
    void aPlainAnswerStreamsPieceByPieceAndItsEndCarriesItWhole() {
        try (WsClient client = connect("model-plain")) {
            List<Event> events = run(client, "p1", "plain hello");
            assertEquals(
                    List.of(
                            "agent_started",
                            "agent_text_delta",
                            "agent_text_delta",
                            "agent_text_delta",
                            "agent_completed"),
                    types(events));
            assertEquals("openai", ((AgentStarted) events.get(0).payload()).agentName());
            assertEquals(List.of("Hello", "! How", " can I help?"), deltas(events));
            assertEquals(RunStatus.COMPLETED, end(events).status());
            assertEquals("Hello! How can I help?", end(events).finalResponse());

            FakeModelServer.Received request = requestsFor("plain hello").get(0);
            assertEquals("Bearer " + FakeModelServer.API_KEY, request.authorization());
            assertEquals("gpt-4o-mini", request.body().getString("model"));
            assertTrue(request.body().getBoolean("stream"));
            List<String> tools = request.body().getJsonArray("tools").stream()
                    .map(t -> ((JsonObject) t).getJsonObject("function").getString("name"))
                    .toList();
            assertEquals(List.of("calculator", "clock", "text_statistics", "wait"), tools);
            JsonObject calculator =
                    request.body().getJsonArray("tools").getJsonObject(0).getJsonObject("function");
            assertEquals(
                    new JsonArray().add("expression"),
                    calculator.getJsonObject("parameters").getJsonArray("required"),
                    "the tool's own parameter schema is offered");
        }
    }

    @Test
    void twoToolCallsOverTwoRoundsRunAsToolCallsAndTheirResultsGoBackToTheModel() {
        try (WsClient client = connect("model-tools")) {
            List<Event> events = run(client, "t1", "tools please");
            assertEquals(
                    List.of(
                            "agent_started",
                            "tool_executing",
                            "tool_completed",
                            "tool_executing",
                            "tool_completed",
                            "agent_text_delta",
                            "agent_text_delta",
                            "agent_completed"),
                    types(events));
            ToolExecuting calculation = (ToolExecuting) events.get(1).payload();
            assertEquals("calculator", calculation.toolName());
            assertEquals("6 * 7", calculation.parameters().path("expression").asText());
            ToolCompleted calculated = (ToolCompleted) events.get(2).payload();
            assertEquals(ToolStatus.SUCCESS, calculated.status());
            assertEquals(42, calculated.results().path("value").asInt());
            assertEquals("text_statistics", ((ToolExecuting) events.get(3).payload()).toolName());
            assertEquals(ToolStatus.SUCCESS, ((ToolCompleted) events.get(4).payload()).status());
            assertEquals("6 * 7 is 42, written in 2 words.", end(events).finalResponse());
            assertEquals(String.join("", deltas(events)), end(events).finalResponse());

            List<FakeModelServer.Received> requests = requestsFor("tools please");
            assertEquals(3, requests.size(), "one request per round");
            JsonObject firstResult = requests.get(1).body().getJsonArray("messages").stream()
                    .map(JsonObject.class::cast)
                    .filter(m -> "tool".equals(m.getString("role")))
                    .findFirst()
                    .orElseThrow();
            assertEquals("call_calc", firstResult.getString("tool_call_id"));
            assertTrue(firstResult.getString("content").contains("42"), firstResult.encode());
            assertEquals(2, requests.get(2).messagesOfRole("tool"), "both results in the last round");
        }
    }

    @Test
    void aRateLimitIsRetriedOnceAndThenEndsTheRunSayingSo() {
        try (WsClient client = connect("model-limited")) {
            List<Event> events = run(client, "l1", "limited now");
            assertEquals(List.of("agent_started", "agent_completed"), types(events));
            assertEquals(RunStatus.FAILED, end(events).status());
            assertEquals(
                    "the model provider is limiting requests (HTTP 429)",
                    end(events).error());
            assertEquals(2, requestsFor("limited now").size(), "the first try and one retry (max-retries=1)");
        }
    }

    @Test
    void aServerErrorEndsTheRunSayingSo() {
        try (WsClient client = connect("model-failing")) {
            List<Event> events = run(client, "f1", "failing now");
            assertEquals(List.of("agent_started", "agent_completed"), types(events));
            assertEquals(RunStatus.FAILED, end(events).status());
            assertEquals("the model provider failed (HTTP 500)", end(events).error());
        }
    }

    @Test
    void aStreamCutInTheMiddleEndsTheRunAfterTheTextThatArrivedWithoutARetry() {
        try (WsClient client = connect("model-cut")) {
            List<Event> events = run(client, "c1", "cut short");
            assertEquals(
                    List.of("agent_started", "agent_text_delta", "agent_text_delta", "agent_completed"), types(events));
            assertEquals(List.of("Hello", "! How"), deltas(events));
            assertEquals(RunStatus.FAILED, end(events).status());
            assertTrue(
                    end(events).error().startsWith("the model's answer broke off"),
                    end(events).error());
            assertEquals(1, requestsFor("cut short").size(), "text had reached the user: no retry");
        }
    }

    @Test
    void aStreamThatFallsSilentEndsTheRunAfterTheTimeoutAndItsConnectionCloses() throws Exception {
        try (WsClient client = connect("model-hang")) {
            long start = System.nanoTime();
            List<Event> events = run(client, "h1", "hang forever");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(List.of("agent_started", "agent_text_delta", "agent_completed"), types(events));
            assertEquals("the model sent nothing for 2 s", end(events).error());
            assertTrue(took >= 2_000 && took < 5_000, "ended after the 2 s request-timeout: " + took + " ms");
            long closed = requestsFor("hang forever").get(0).closedAtNanos().get(2, TimeUnit.SECONDS);
            assertTrue(closed > 0, "the connection to the model was closed");
        }
    }

    @Test
    void cancellingARunClosesItsRequestToTheModelAtOnce() throws Exception {
        try (WsClient client = connect("model-cancel")) {
            client.send(userMessage("x1", "slow story", "r-x1"));
            List<ServerFrame> started = client.until(Frames.eventOf(AgentTextDelta.class));
            String runId = payload(started.get(0), AgentStarted.class).runId();
            long cancelled = System.nanoTime();
            client.send("{\"type\":\"cancel_run\",\"run_id\":\"" + runId + "\"}");
            List<Event> rest = Frames.events(client.until(Frames.runEnd()));
            assertEquals(RunStatus.CANCELLED, end(rest).status());
            long closed = requestsFor("slow story").get(0).closedAtNanos().get(2, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(closed - cancelled);
            assertTrue(millis < 1_000, "the model's connection closed " + millis + " ms after cancel_run");
        }
    }

    @Test
    void aTabReloadedMidAnswerEndsWithTheWholeAnswerOnce() {
        try (WsClient steady = connect("model-reload")) {
            List<ServerFrame> before = new ArrayList<>();
            String runId;
            long lastSeen;
            try (WsClient reloading = connect("model-reload")) {
                steady.send(userMessage("r1", "slow answer", "r-r1"));
                for (int i = 0; i < 4; i++) { // started and three deltas, then the page reloads
                    before.add(reloading.next());
                }
                runId = payload(before.get(0), AgentStarted.class).runId();
                lastSeen = ((Event) before.get(3)).eventId();
            }
            // more is written meanwhile
            List<ServerFrame> steadyFrames =
                    new ArrayList<>(steady.until(f -> f instanceof Event e && e.eventId() > lastSeen + 5));
            steady.send("{\"type\":\"cancel_run\",\"run_id\":\"" + runId + "\"}");
            steadyFrames.addAll(steady.until(Frames.runEnd()));
            List<Event> all = Frames.events(steadyFrames);
            try (WsClient resumed = WsClient.connect(
                    Endpoints.ws(endpoint, "last_event_id=" + lastSeen), Tokens.valid("model-reload"))) {
                List<Event> seen = new ArrayList<>(Frames.events(before));
                seen.addAll(Frames.events(resumed.until(Frames.runEnd())));
                Set<Long> ids = new HashSet<>();
                seen.forEach(e -> assertTrue(ids.add(e.eventId()), "event " + e.eventId() + " once"));
                String whole = String.join("", deltas(all));
                assertEquals(whole, String.join("", deltas(seen)), "the whole answer, once");
                assertTrue(whole.startsWith("word0 word1 word2 word3 word4"), whole);
            }
        }
    }

    @Test
    void aThreadRemembersItsEarlierTurns() {
        try (WsClient client = connect("model-memory")) {
            run(client, "m1", "plain first question");
            run(client, "m1", "plain second question");
            run(client, "m2", "plain other thread");
            JsonArray second =
                    requestsFor("plain second question").get(0).body().getJsonArray("messages");
            assertEquals(
                    List.of(
                            "system:",
                            "user:plain first question",
                            "assistant:Hello! How can I help?",
                            "user:plain second question"),
                    second.stream()
                            .map(JsonObject.class::cast)
                            .map(m -> m.getString("role") + ":"
                                    + (m.getString("role").equals("system") ? "" : m.getString("content")))
                            .toList());
            assertEquals(
                    2,
                    requestsFor("plain other thread")
                            .get(0)
                            .body()
                            .getJsonArray("messages")
                            .size(),
                    "another thread starts afresh");
        }
    }

    @Test
    void theChatPageShowsTheAnswerGrowingInPlaceWithTheToolCallsBeforeItAndKeepsItWholeAcrossAReload()
            throws Exception {
        try (Browser browser = Browser.open()) {
            ChatPage page = new ChatPage(browser).signIn(base, "model-page");
            page.send("tools for the page");
            Map<String, Object> tools = page.awaitRun(0, "completed");
            assertEquals(
                    List.of(
                            "agent_started",
                            "tool_executing",
                            "tool_completed",
                            "tool_executing",
                            "tool_completed",
                            "agent_text_delta"),
                    tools.get("types"),
                    "the answer is one step that grew, not one per delta, and not repeated at the end");
            String text = (String) tools.get("text");
            assertEquals(1, text.split("6 \\* 7 is 42, written in 2 words\\.", -1).length - 1, text);

            page.sendAndAwaitStep("slow page", "agent_text_delta");
            browser.await("a few words", () -> ((String) page.runs().get(1).get("text")).contains("word3 "));
            browser.reload(); // mid-answer
            page.awaitConnected(1);
            browser.await(
                    "more words after the reload",
                    () -> ((String) page.runs().get(1).get("text")).contains("word12 "));
            browser.click(".run[data-status='running'] .cancel");
            page.awaitRun(1, "cancelled");
            String answer = browser.script("return Array.from(document.querySelectorAll('.run')[1]"
                    + ".querySelectorAll('.step[data-type=\"agent_text_delta\"] .text'))"
                    + ".map(e => e.textContent).join('')");
            String[] words = answer.strip().split(" ");
            for (int i = 0; i < words.length; i++) {
                assertEquals("word" + i, words[i], "every word once and in order, across the reload: " + answer);
            }
            assertTrue(words.length > 12, answer);
            browser.screenshot("chat-page-streamed-answer");
        }
    }

    @Test
    void theApiKeyNeverAppearsInTheLogNorInAnyEvent() throws Exception {
        try (WsClient client = connect("model-secret")) {
            List<Event> events = new ArrayList<>(run(client, "s1", "limited again"));
            events.addAll(run(client, "s2", "plain again"));
            String frames = events.stream().map(Object::toString).collect(Collectors.joining("\n"));
            assertFalse(frames.contains(FakeModelServer.API_KEY));
        }
        String log = Files.readString(LOG);
        assertTrue(log.contains("openai agent: model gpt-4o-mini"), "the log is the application's");
        assertTrue(log.contains("limiting requests"), "failures are logged");
        assertFalse(log.contains(FakeModelServer.API_KEY), "the key is not in " + LOG);
        assertFalse(log.contains(FakeModelServer.API_KEY.substring(8)), "nor any part of it");
    }
}
