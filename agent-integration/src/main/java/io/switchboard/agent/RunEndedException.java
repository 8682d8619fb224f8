package io.switchboard.agent;

/** Thrown by a {@link RunContext} step after its run has ended: the agent should stop. */
public class RunEndedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunEndedException(String runId) {
        super("run " + runId + " has ended", null, false, false);
    }
}
