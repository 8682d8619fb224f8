package io.switchboard.agent.openai;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The {@code openai} agent's model, under {@code switchboard.agent.openai}. */
@ConfigMapping(prefix = "switchboard.agent.openai")
public interface OpenAiSettings {

    /** The OpenAI-compatible endpoint, up to and without {@code /chat/completions}. */
    @WithDefault("https://api.openai.com/v1")
    String baseUrl();

    /** The model to ask. */
    @WithDefault("gpt-4o-mini")
    String model();

    /**
     * The API key, sent as a bearer token; never logged. Set it from the environment
     * ({@code SWITCHBOARD_AGENT_OPENAI_API_KEY}). Local servers such as Ollama need none.
     */
    Optional<String> apiKey();

    /** Sampling temperature. */
    @WithDefault("0.2")
    double temperature();

    /** The longest the provider may stay silent, before it starts answering or within the answer, before the run fails. */
    @WithDefault("60S")
    Duration requestTimeout();

    /** Most rounds of tool calls in one run; a model that asks for more ends the run as failed. */
    @WithDefault("5")
    int maxToolRounds();

    /**
     * Retries of a request that failed with 429, 5xx, silence or a broken stream before any of its
     * answer arrived; none once text has reached the user.
     */
    @WithDefault("2")
    int maxRetries();

    /** Earlier turns (a message and its answer) of the thread that a run sees. */
    @WithDefault("20")
    int historyTurns();

    /** How long a thread's turns are kept after its last one. */
    @WithDefault("24H")
    Duration historyTtl();

    /** What the model is told first. */
    @WithDefault("You are a helpful assistant. Use the tools when they help, and answer concisely.")
    String systemPrompt();
}
