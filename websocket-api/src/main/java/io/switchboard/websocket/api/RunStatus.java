package io.switchboard.websocket.api;

/** How a run ended. */
public enum RunStatus {
    COMPLETED,
    FAILED,
    CANCELLED;

    /** The wire name, such as {@code completed}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
