package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.FrameCodec;

/**
 * An event as the log keeps it: its wire form, encoded once for every connection, and only what
 * delivery needs besides (the payload object is not kept: the text is what every tab gets). Its size
 * in UTF-8 bytes counts against the outbound bound; when it was appended measures delivery latency.
 */
record LoggedEvent(long eventId, String type, String json, int bytes, long appendedNanos) {

    static LoggedEvent of(Event event) {
        String json = FrameCodec.encode(event);
        return new LoggedEvent(event.eventId(), event.type(), json, utf8Length(json), System.nanoTime());
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
}
