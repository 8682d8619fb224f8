package io.switchboard.tests;

import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.ServerFrame;
import java.util.List;
import java.util.function.Predicate;

/** Small readers of received frames. */
final class Frames {
    /** The built-in agent's events for a message that needs a tool, such as "What is 2 + 3 * 4?". */
    static final List<String> TOOL_RUN = List.of(
            "agent_started",
            "agent_thinking",
            "agent_thinking",
            "tool_executing",
            "tool_completed",
            "agent_thinking",
            "agent_completed");

    private Frames() {}

    static Predicate<ServerFrame> runEnd() {
        return frame -> frame instanceof Event event && event.payload() instanceof AgentCompleted;
    }

    static Predicate<ServerFrame> eventOf(Class<? extends EventPayload> type) {
        return frame -> frame instanceof Event event && type.isInstance(event.payload());
    }

    static List<String> types(List<ServerFrame> frames) {
        return frames.stream().map(ServerFrame::type).toList();
    }

    static List<Event> events(List<ServerFrame> frames) {
        return frames.stream()
                .filter(Event.class::isInstance)
                .map(Event.class::cast)
                .toList();
    }

    static <T extends EventPayload> T payload(ServerFrame frame, Class<T> type) {
        if (frame instanceof Event event && type.isInstance(event.payload())) {
            return type.cast(event.payload());
        }
        throw new AssertionError("expected a " + type.getSimpleName() + " event but got " + frame);
    }

    static String userMessage(String threadId, String content, String requestId) {
        return "{\"type\":\"user_message\",\"thread_id\":\"" + threadId + "\",\"content\":\"" + content + "\""
                + (requestId == null ? "" : ",\"request_id\":\"" + requestId + "\"") + "}";
    }
}
