package io.switchboard.websocket.api;

import java.util.Locale;

/** How a tool call ended. */
public enum ToolStatus {
    SUCCESS,
    ERROR,
    TIMEOUT;

    /** The wire name, such as {@code success}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
