package io.switchboard.websocket.api;

import java.util.Locale;
import java.util.Optional;

/** Why a client frame was not honoured (docs/websocket/protocol.md, client frames). */
public enum ErrorCode {
    INVALID_JSON,
    UNKNOWN_TYPE,
    INVALID_MESSAGE,
    RUN_IN_PROGRESS,
    RUN_NOT_FOUND,
    RATE_LIMITED,
    /** The server could not store what the frame asked for (cluster mode, Redis unreachable); try again. */
    UNAVAILABLE;

    /** The wire name, such as {@code invalid_json}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The code with that wire name, if any. */
    public static Optional<ErrorCode> fromWireName(String wireName) {
        for (ErrorCode code : values()) {
            if (code.wireName().equals(wireName)) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }
}
