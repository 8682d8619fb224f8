package io.switchboard.websocket.core;

import io.switchboard.websocket.api.CancelRun;
import io.switchboard.websocket.api.FrameException;
import io.switchboard.websocket.api.UserMessage;

/**
 * Receives the client frames that concern agent runs. Core calls the one CDI bean of this type
 * (provided by the agent module) and never depends on its implementation.
 *
 * <p>Methods are called on the connection's event-loop thread: they must return quickly and never
 * block (start the work elsewhere). To refuse a frame, throw a {@link FrameException}; the sending
 * connection then gets an {@code error} frame with its code and message, and stays open. Any other
 * exception is logged and answered the same way, as an internal failure.
 */
public interface InboundFrameHandler {

    /** A {@code user_message} from the manager's user. */
    void onUserMessage(WebSocketManager manager, UserMessage message);

    /** A {@code cancel_run} from the manager's user. */
    void onCancelRun(WebSocketManager manager, CancelRun message);
}
