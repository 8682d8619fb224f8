package io.switchboard.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Configuration of agent runs, under {@code switchboard.agent}. */
@ConfigMapping(prefix = "switchboard.agent")
public interface AgentSettings {

    /** The name of the agent that answers user messages. */
    @WithDefault("assistant")
    String name();

    /** How long a run may take before it ends with status {@code failed}. */
    @WithDefault("2M")
    Duration runTimeout();

    /** Most runs at once on this server; a message beyond that ends its run at once as {@code failed}. */
    @WithDefault("256")
    int maxConcurrentRuns();

    /** The built-in agent's pause between steps, so that a person can follow them; 0 for none. */
    @WithDefault("100MS")
    Duration stepDelay();
}
