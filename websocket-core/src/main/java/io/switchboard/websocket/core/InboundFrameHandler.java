package io.switchboard.websocket.core;

import io.switchboard.websocket.api.CancelRun;
import io.switchboard.websocket.api.FrameException;
import io.switchboard.websocket.api.UserMessage;
import java.util.concurrent.CompletionStage;

/**
 * Receives the client frames that concern agent runs. Core calls the one CDI bean of this type
 * (provided by the agent module) and never depends on its implementation.
 *
 * <p>Methods are called on the connection's event-loop thread: they must return quickly and never
 * block (start the work elsewhere). To refuse a frame, throw a {@link FrameException} or fail the
 * returned stage with one; the sending connection then gets an {@code error} frame with its code and
 * message, and stays open. Any other failure is logged and answered the same way, as an internal
 * failure. The stage exists because honouring a frame may mean storing an event first.
 */
public interface InboundFrameHandler {

    /** A {@code user_message} from the manager's user. */
    CompletionStage<Void> onUserMessage(WebSocketManager manager, UserMessage message);

    /** A {@code cancel_run} from the manager's user. */
    CompletionStage<Void> onCancelRun(WebSocketManager manager, CancelRun message);
}
