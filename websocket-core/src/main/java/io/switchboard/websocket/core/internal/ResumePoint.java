package io.switchboard.websocket.core.internal;

/**
 * Where a resuming client stands: the epoch and the last event id it has applied.
 *
 * @param epoch the epoch the client knows, or {@code null} for "the current one"
 */
record ResumePoint(String epoch, long lastEventId) {}
