package io.switchboard.websocket.api;

import java.util.Locale;

/** The urgency of a {@link Notification}. */
public enum NotificationLevel {
    INFO,
    WARNING,
    CRITICAL;

    /** The wire name, such as {@code info}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
