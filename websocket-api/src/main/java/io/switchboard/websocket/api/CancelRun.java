package io.switchboard.websocket.api;

/** Asks the server to cancel one of the sending user's runs. */
public record CancelRun(String runId, String requestId) implements ClientFrame {
    public static final String TYPE = "cancel_run";

    public CancelRun {
        Fields.id(runId, "run_id");
        Fields.optionalId(requestId, "request_id");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
