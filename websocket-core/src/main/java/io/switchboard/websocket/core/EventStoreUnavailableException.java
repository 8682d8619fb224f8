package io.switchboard.websocket.core;

/**
 * The event could not be stored: the store that assigns ids (Redis, in cluster mode) did not answer
 * in time or refused. As a rule nothing was appended and nothing will be delivered for that call, and
 * the caller may try again. Two cases in cluster mode are the exception, and the message says so:
 * Redis did not answer in time (the event may still be stored), or Redis refused another command
 * written with this one (the event was stored and is delivered, only its id is lost); a retry then
 * stores the event a second time. The message is fit for a log line or an HTTP 503 detail.
 */
public class EventStoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EventStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
