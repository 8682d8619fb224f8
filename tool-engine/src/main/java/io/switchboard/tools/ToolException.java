package io.switchboard.tools;

/** A tool call that cannot be honoured; the message is shown to the user in {@code tool_completed}. */
public class ToolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ToolException(String message) {
        super(message);
    }
}
