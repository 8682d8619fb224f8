package io.switchboard.agent;

/**
 * An agent: answers one user message per run. Every CDI bean of this type is available by its
 * {@link #name()}; {@code switchboard.agent.name} chooses the one that answers.
 *
 * <p>{@link #run} is called on an agent thread, never on an event loop, and may block. When the run
 * is cancelled or times out, that thread is interrupted and every later step on the context throws
 * {@link RunEndedException}; the agent need not (and cannot) report the end itself.
 */
public interface Agent {

    /** The name shown to users in {@code agent_started}. */
    String name();

    /**
     * Answers the run's message.
     *
     * @return the final response, sent in {@code agent_completed} with status {@code completed}
     * @throws Exception any failure ends the run with status {@code failed}
     */
    String run(RunContext context) throws Exception;
}
