package io.switchboard.websocket.api;

/**
 * Tells a client that one of its frames was not honoured; the connection stays open.
 *
 * @param requestId the {@code request_id} of the frame, or {@code null} when it had none
 */
public record ErrorFrame(ErrorCode code, String message, String requestId) implements ServerFrame {
    public static final String TYPE = "error";

    public ErrorFrame {
        if (code == null) {
            throw new IllegalArgumentException("field 'code' is required");
        }
        Fields.nonBlank(message, "message");
    }

    /** The error frame that answers a rejected frame. */
    public static ErrorFrame of(FrameException e) {
        return new ErrorFrame(e.code(), e.getMessage(), e.requestId());
    }

    @Override
    public String type() {
        return TYPE;
    }
}
