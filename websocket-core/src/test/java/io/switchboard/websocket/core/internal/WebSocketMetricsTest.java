package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.AgentStarted;
import io.switchboard.websocket.api.AgentTextDelta;
import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.NotificationLevel;
import io.switchboard.websocket.api.RunStatus;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolExecuting;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WebSocketMetricsTest {
    /** One payload of every event type; the test below fails when a type is added without one here. */
    private static final List<EventPayload> ONE_OF_EACH = List.of(
            new AgentStarted("t", "r", "assistant", null),
            new AgentThinking("t", "r", "step"),
            new AgentTextDelta("t", "r", "text"),
            new ToolExecuting("t", "r", "clock", JsonNodeFactory.instance.objectNode()),
            ToolCompleted.success("t", "r", "clock", JsonNodeFactory.instance.objectNode(), 3),
            new AgentCompleted("t", "r", RunStatus.COMPLETED, "done", null),
            new Notification(NotificationLevel.INFO, "title", "body", null));

    private static Set<Class<?>> eventRecords(Class<?> type, Set<Class<?>> found) {
        if (type.isRecord()) {
            found.add(type);
        }
        for (Class<?> subtype :
                type.getPermittedSubclasses() == null ? new Class<?>[0] : type.getPermittedSubclasses()) {
            eventRecords(subtype, found);
        }
        return found;
    }

    @Test
    void everyEventTypeOfTheSealedHierarchyIsCountedWhenEmitted() {
        assertEquals(
                eventRecords(EventPayload.class, new HashSet<>()),
                ONE_OF_EACH.stream().map(Object::getClass).collect(Collectors.toSet()),
                "every event type needs a sample here");
        assertEquals(ONE_OF_EACH.stream().map(EventPayload::type).toList(), new ArrayList<>(EventPayload.types()));

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ManagerRegistry registry =
                new ManagerRegistry(100, 10, Duration.ofMinutes(10), Clock.systemUTC(), new WebSocketMetrics(meters));
        UserWebSocketManager manager = registry.managerFor("alice");
        ONE_OF_EACH.forEach(manager::emit);

        for (EventPayload payload : ONE_OF_EACH) {
            assertEquals(
                    1.0,
                    meters.get("switchboard.events.emitted")
                            .tag("type", payload.type())
                            .functionCounter()
                            .count(),
                    payload.type());
        }
        assertEquals(ONE_OF_EACH.size(), manager.lastEventId());
    }
}
