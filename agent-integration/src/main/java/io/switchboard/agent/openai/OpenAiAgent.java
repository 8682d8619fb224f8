package io.switchboard.agent.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.switchboard.agent.Agent;
import io.switchboard.agent.AgentException;
import io.switchboard.agent.RunContext;
import io.switchboard.agent.RunEndedException;
import io.switchboard.agent.ToolDescription;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * {@code openai}: answers with a chat-completions model of any OpenAI-compatible endpoint, through
 * LangChain4j. The answer streams to the user as it is written; the tools are offered with their
 * parameter schemas, and each call the model makes runs as a tool call of the run, whose result goes
 * back to the model, for at most {@code max-tool-rounds} rounds. The thread's earlier turns come first.
 */
@Singleton
public final class OpenAiAgent implements Agent {
    public static final String NAME = "openai";
    private static final Logger LOG = Logger.getLogger(OpenAiAgent.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 100;
    private static final long FIRST_RETRY_MILLIS = 500;

    private final OpenAiSettings settings;
    private final Conversations conversations;
    private volatile StreamingChatModel model;

    @Inject
    OpenAiAgent(OpenAiSettings settings, Conversations conversations) {
        this.settings = settings;
        this.conversations = conversations;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(RunContext run) throws Exception {
        List<ToolSpecification> tools = specifications(run.tools());
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(settings.systemPrompt()));
        messages.addAll(conversations.history(run.userId(), run.threadId()));
        messages.add(UserMessage.from(run.message()));
        StringBuilder answer = new StringBuilder();
        for (int round = 0; ; round++) {
            ChatRequest request = ChatRequest.builder()
                    .messages(messages)
                    .toolSpecifications(tools)
                    .build();
            AiMessage reply = complete(run, request, answer).aiMessage();
            if (!reply.hasToolExecutionRequests()) {
                break;
            }
            if (round >= settings.maxToolRounds()) {
                throw new AgentException("the model still asked for tools after " + settings.maxToolRounds()
                        + " rounds (switchboard.agent.openai.max-tool-rounds)");
            }
            messages.add(reply);
            for (ToolExecutionRequest call : reply.toolExecutionRequests()) {
                messages.add(ToolExecutionResultMessage.from(call, callTool(run, call)));
            }
        }
        String whole = answer.toString();
        conversations.add(run.userId(), run.threadId(), run.message(), whole);
        return whole;
    }

    /** The tools as the model is offered them. */
    private static List<ToolSpecification> specifications(List<ToolDescription> tools) {
        List<ToolSpecification> specifications = new ArrayList<>();
        for (ToolDescription tool : tools) {
            ObjectNode json = JSON.createObjectNode()
                    .put("name", tool.name())
                    .put("description", tool.description())
                    .set("parameters", tool.parameters());
            specifications.add(ToolSpecification.fromJson(json.toString()));
        }
        return specifications;
    }

    /** Runs the model's tool call as a tool call of the run; what the model reads back. */
    private static String callTool(RunContext run, ToolExecutionRequest call) throws InterruptedException {
        JsonNode arguments;
        try {
            arguments = call.arguments() == null || call.arguments().isBlank()
                    ? JSON.createObjectNode()
                    : JSON.readTree(call.arguments());
        } catch (IOException | RuntimeException e) {
            return "error: the arguments are not JSON: " + e.getMessage();
        }
        if (!(arguments instanceof ObjectNode parameters)) {
            return "error: the arguments must be a JSON object";
        }
        ToolCompleted result = run.callTool(call.name(), parameters);
        return result.status() == ToolStatus.SUCCESS
                ? result.results().toString()
                : "error (" + result.status().wireName() + "): " + result.error();
    }

    /**
     * One request to the model, its text streamed to the run as it comes; retried after a failure
     * that may pass, while none of its text has reached the user.
     */
    private ChatResponse complete(RunContext run, ChatRequest request, StringBuilder answer) throws Exception {
        for (int attempt = 0; ; attempt++) {
            int before = shown(answer);
            try {
                return stream(run, request, answer);
            } catch (ProviderFailure failure) {
                if (!failure.retryable() || shown(answer) > before || attempt >= settings.maxRetries()) {
                    throw new AgentException(failure.getMessage(), failure.getCause());
                }
                long pause = FIRST_RETRY_MILLIS << attempt;
                LOG.infof(
                        "run %s: %s; trying again in %d ms (attempt %d of %d)",
                        run.runId(), failure.getMessage(), pause, attempt + 2, settings.maxRetries() + 1);
                Thread.sleep(pause);
            }
        }
    }

    /** How much of the answer has reached the user. */
    private static int shown(StringBuilder answer) {
        synchronized (answer) {
            return answer.length();
        }
    }

    private ChatResponse stream(RunContext run, ChatRequest request, StringBuilder answer) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        AtomicReference<StreamingHandle> handle = new AtomicReference<>();
        AtomicLong lastHeard = new AtomicLong(System.nanoTime());
        model().chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                // under the answer's lock: a piece that comes after this request was given up is dropped,
                // and complete() reads what reached the user only once no piece is on its way
                synchronized (answer) {
                    if (heard(context.streamingHandle())) {
                        return;
                    }
                    try {
                        run.answer(partial.text());
                        answer.append(partial.text());
                    } catch (RunEndedException ended) {
                        context.streamingHandle().cancel();
                        done.completeExceptionally(ended);
                    }
                }
            }

            @Override
            public void onPartialToolCall(PartialToolCall partial, PartialToolCallContext context) {
                heard(context.streamingHandle());
            }

            @Override
            public void onPartialThinking(PartialThinking partial, PartialThinkingContext context) {
                heard(context.streamingHandle()); // a reasoning model at work is not silent
            }

            @Override
            public void onUnmappedRawEvent(Object event) {
                lastHeard.set(System.nanoTime()); // keep-alives and pieces LangChain4j does not map
            }

            /** Notes that the provider is alive; cancels the stream if this request was given up already. */
            private boolean heard(StreamingHandle streamingHandle) {
                handle.set(streamingHandle);
                lastHeard.set(System.nanoTime());
                if (done.isDone()) {
                    streamingHandle.cancel();
                    return true;
                }
                return false;
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        CountDownLatch finished = new CountDownLatch(1);
        done.whenComplete((response, error) -> finished.countDown());
        long silenceNanos = settings.requestTimeout().toNanos();
        try {
            while (!finished.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - lastHeard.get() > silenceNanos) {
                    throw new ProviderFailure(
                            "the model sent nothing for "
                                    + settings.requestTimeout().toSeconds() + " s",
                            null,
                            true);
                }
            }
            ChatResponse response = done.get();
            if (response.finishReason() == null) {
                throw new ProviderFailure("the model's answer broke off before its end", null, true);
            }
            return response;
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } finally {
            // cancelled, timed out or failed: the connection to the provider closes now
            StreamingHandle open = handle.get();
            if (open != null && !done.isDone()) {
                open.cancel();
            }
            done.cancel(false);
        }
    }

    /** What a failure of the provider means for the user, and whether trying again may help. */
    private ProviderFailure failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RunEndedException ended) {
            throw ended;
        }
        String status = cause.getCause() instanceof HttpException http ? " (HTTP " + http.statusCode() + ")" : "";
        if (cause instanceof AuthenticationException) {
            return new ProviderFailure(
                    "the model provider refused the credentials" + status + "; check switchboard.agent.openai.api-key",
                    cause,
                    false);
        }
        if (cause instanceof RateLimitException) {
            return new ProviderFailure("the model provider is limiting requests" + status, cause, true);
        }
        if (cause instanceof ModelNotFoundException) {
            return new ProviderFailure(
                    "the model provider does not know the model '" + settings.model() + "'" + status, cause, false);
        }
        if (cause instanceof InternalServerException) {
            return new ProviderFailure("the model provider failed" + status, cause, true);
        }
        if (cause instanceof TimeoutException) {
            return new ProviderFailure(
                    "the model provider did not answer within "
                            + settings.requestTimeout().toSeconds() + " s",
                    cause,
                    true);
        }
        if (cause instanceof InvalidRequestException) {
            return new ProviderFailure("the model provider refused the request" + status, cause, false);
        }
        for (Throwable inner = cause; inner != null; inner = inner.getCause()) {
            if (inner instanceof IOException broken) {
                return new ProviderFailure("the model's answer broke off: " + broken.getMessage(), cause, true);
            }
        }
        // unknown: a bad address, a malformed answer; trying again would not help
        return new ProviderFailure(
                "the request to the model provider failed: " + cause.getClass().getSimpleName(), cause, false);
    }

    /** A failed request to the provider, with a message fit for the user. */
    private static final class ProviderFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean retryable;

        ProviderFailure(String message, Throwable cause, boolean retryable) {
            super(message, cause);
            this.retryable = retryable;
        }

        boolean retryable() {
            return retryable;
        }
    }

    /** The URL to log: no user information, query or fragment, which may hold credentials. */
    static String withoutCredentials(String url) {
        try {
            URI uri = new URI(url);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return "(a URL that is not valid)";
        }
    }

    /** The model, made on first use, so that no setting of it is needed while another agent answers. */
    private StreamingChatModel model() {
        StreamingChatModel made = model;
        if (made == null) {
            synchronized (this) {
                if (model == null) {
                    OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder builder =
                            OpenAiStreamingChatModel.builder()
                                    .baseUrl(settings.baseUrl())
                                    .modelName(settings.model())
                                    .temperature(settings.temperature())
                                    .timeout(settings.requestTimeout())
                                    .logRequests(false)
                                    .logResponses(false);
                    settings.apiKey().ifPresent(builder::apiKey);
                    model = builder.build();
                    LOG.infof(
                            "openai agent: model %s at %s, %s",
                            settings.model(),
                            withoutCredentials(settings.baseUrl()),
                            settings.apiKey().isPresent() ? "with an API key" : "without an API key");
                }
                made = model;
            }
        }
        return made;
    }
}
