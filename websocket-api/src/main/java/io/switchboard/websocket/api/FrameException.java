package io.switchboard.websocket.api;

/**
 * A frame that cannot be honoured: carries the protocol error code, a precise reason (the
 * exception message, safe to show to the client) and the frame's {@code request_id} if it had one.
 */
public final class FrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String requestId;

    public FrameException(ErrorCode code, String message, String requestId) {
        super(message, null, false, false);
        this.code = code;
        this.requestId = requestId;
    }

    public FrameException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ErrorCode code() {
        return code;
    }

    /** The {@code request_id} of the rejected frame, or {@code null}. */
    public String requestId() {
        return requestId;
    }
}
