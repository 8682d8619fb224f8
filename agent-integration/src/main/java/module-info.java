/**
 * Agent runs: the SPI real agents plug into, the run lifecycle, and a built-in deterministic agent.
 *
 * <p>Main types, in {@link io.switchboard.agent}:
 * <ul>
 *   <li>{@link io.switchboard.agent.Agent}: the SPI; every CDI bean of this type is an agent, and
 *       {@code switchboard.agent.name} picks the one that answers;</li>
 *   <li>{@link io.switchboard.agent.RunContext}: what an agent may do during a run (think, call a
 *       tool), each step reported to the user as an event.</li>
 * </ul>
 * The run lifecycle (unexported, {@code io.switchboard.agent.internal}) handles {@code user_message}
 * and {@code cancel_run} for core, allows one run per thread at a time, and keeps the protocol's run
 * guarantee: a run that emitted {@code agent_started} ends with exactly one {@code agent_completed},
 * after a {@code tool_completed} for every {@code tool_executing}, whatever the agent or its tools do.
 *
 * <p>Configuration ({@code switchboard.agent.*}): {@code name} (assistant), {@code run-timeout} (2M),
 * {@code max-concurrent-runs} (256), {@code step-delay} (100MS, the built-in agent's pause between
 * steps, so that a person can follow them).
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

    exports io.switchboard.agent;
}
