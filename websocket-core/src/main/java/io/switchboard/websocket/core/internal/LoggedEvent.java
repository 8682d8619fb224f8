package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.FrameCodec;
import java.util.List;

/**
 * An event as the log keeps it: its wire form, encoded once for every connection, and only what
 * delivery needs besides (the payload object is not kept: the text is what every tab gets). Its size
 * in UTF-8 bytes counts against the outbound bound; when it was appended measures delivery latency.
 */
record LoggedEvent(long eventId, String type, String json, int bytes, long appendedNanos) {
    private static final List<String> TYPES = EventPayload.types();

    static LoggedEvent of(Event event) {
        String json = FrameCodec.encode(event);
        return new LoggedEvent(event.eventId(), event.type(), json, utf8Length(json), System.nanoTime());
    }

    /**
     * The type named by {@code text} from {@code start} to {@code end}: the shared name of a known type,
     * so that a log read from Redis keeps no copy of it per event; a copy only for a type not known here.
     */
    static String knownType(String text, int start, int end) {
        for (String type : TYPES) {
            if (type.length() == end - start && text.regionMatches(start, type, 0, type.length())) {
                return type;
            }
        }
        return text.substring(start, end);
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
