package io.switchboard.websocket.core;

/**
 * The event could not be stored: the store that assigns ids (Redis, in cluster mode) did not answer
 * in time or refused. Nothing was appended and nothing will be delivered for that call; the caller
 * may try again. The message says what happened and is fit for a log line or an HTTP 503 detail.
 */
public class EventStoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EventStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
