package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.EventPayload;
import org.junit.jupiter.api.Test;

/** Types read from a cluster's messages: a node's logs hold one shared name per known type. */
class LoggedEventTest {

    @Test
    void aKnownTypeIsTheSharedNameNotACopy() {
        String message = "epoch 7 " + AgentThinking.TYPE + " {}";
        int start = "epoch 7 ".length();
        String type = LoggedEvent.knownType(message, start, start + AgentThinking.TYPE.length());
        assertSame(AgentThinking.TYPE, type);
        for (String known : EventPayload.types()) {
            String copy = new String(known.toCharArray());
            assertSame(known, LoggedEvent.knownType(copy, 0, copy.length()), known);
        }
    }

    @Test
    void anUnknownTypeOrAPrefixOfAKnownOneIsReadAsWritten() {
        String message = "agent_thinking_more agent";
        String longer = LoggedEvent.knownType(message, 0, "agent_thinking_more".length());
        assertEquals("agent_thinking_more", longer);
        String prefix = LoggedEvent.knownType(message, "agent_thinking_more ".length(), message.length());
        assertEquals("agent", prefix);
        assertNotSame(AgentThinking.TYPE, longer);
    }
}
