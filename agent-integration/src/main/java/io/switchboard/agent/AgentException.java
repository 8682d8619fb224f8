package io.switchboard.agent;

/**
 * A failure the agent can explain: the run ends with status {@code failed} and this message as its
 * {@code error}, shown to the user as it is. Say what happened and what may help; never include
 * secrets or stack traces.
 */
public class AgentException extends Exception {
    private static final long serialVersionUID = 1L;

    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
