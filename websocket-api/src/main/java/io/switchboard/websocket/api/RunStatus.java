package io.switchboard.websocket.api;

import java.util.Locale;

/** How a run ended. */
public enum RunStatus {
    COMPLETED,
    FAILED,
    CANCELLED;

    /** The wire name, such as {@code completed}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
