package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.Event;

/**
 * An event as the log keeps it: with its wire form, encoded once for every connection, its size in
 * UTF-8 bytes (for the outbound queue's byte bound) and when it was appended (for delivery latency).
 */
record LoggedEvent(Event event, String json, int bytes, long appendedNanos) {

    static LoggedEvent of(Event event, String json) {
        return new LoggedEvent(event, json, utf8Length(json), System.nanoTime());
    }

    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    long eventId() {
        return event.eventId();
    }
}
