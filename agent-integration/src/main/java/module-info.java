/**
 * Agent runs: the SPI real agents plug into, the run lifecycle, and a built-in deterministic agent.
 *
 * <p>Main types, in {@link io.switchboard.agent}:
 * <ul>
 *   <li>{@link io.switchboard.agent.Agent}: the SPI; every CDI bean of this type is an agent, and
 *       {@code switchboard.agent.name} picks the one that answers;</li>
 *   <li>{@link io.switchboard.agent.RunContext}: what an agent may do during a run (think, stream
 *       its answer, call a tool), each step reported to the user as an event;</li>
 *   <li>{@link io.switchboard.agent.AgentException}: a failure the agent explains to the user.</li>
 * </ul>
 * Two agents ship: {@code assistant}, deterministic and built in, and {@code openai}
 * ({@code io.switchboard.agent.openai}), a chat-completions model of any OpenAI-compatible endpoint
 * through LangChain4j, with its answer streamed as {@code agent_text_delta} events and the tools
 * offered with their parameter schemas.
 * The run lifecycle (unexported, {@code io.switchboard.agent.internal}) handles {@code user_message}
 * and {@code cancel_run} for core, allows one run per thread at a time, and keeps the protocol's run
 * guarantee: a run that emitted {@code agent_started} ends with exactly one {@code agent_completed},
 * after a {@code tool_completed} for every {@code tool_executing}, whatever the agent or its tools do.
 *
 * <p>Configuration ({@code switchboard.agent.*}): {@code name} (assistant), {@code run-timeout} (2M),
 * {@code max-concurrent-runs} (256), {@code step-delay} (100MS, the built-in agent's pause between
 * steps, so that a person can follow them); for the {@code openai} agent ({@code switchboard.agent.openai.*}):
 * {@code base-url} (https://api.openai.com/v1), {@code model} (gpt-4o-mini), {@code api-key} (none; never
 * logged), {@code temperature} (0.2), {@code request-timeout} (60S), {@code max-tool-rounds} (5),
 * {@code max-retries} (2), {@code history-turns} (20), {@code history-ttl} (24H), {@code system-prompt}.
 */
module io.switchboard.agent {
    requires transitive io.switchboard.websocket.api;
    requires io.switchboard.websocket.core;
    requires io.switchboard.tools;
    requires io.smallrye.config;
    requires quarkus.core;
    requires jakarta.cdi;
    requires jakarta.inject;
    requires jakarta.annotation;
    requires org.jboss.logging;
    requires langchain4j.core;
    requires langchain4j.open.ai;

    exports io.switchboard.agent;
}
