package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterKeysTest {
    private final ClusterKeys keys = new ClusterKeys("switchboard");

    @Test
    void everyKeyOfAUserCarriesTheSameHashTag() {
        for (String key : List.of(keys.events("ana"), keys.meta("ana"), keys.slots("ana"), keys.channel("ana"))) {
            assertTrue(key.startsWith("switchboard:{ana}:"), key);
        }
    }

    /** Redis hashes what lies between the first { and the next }: a user id must not be able to end it. */
    @Test
    void bracesAndPercentInAUserIdCannotEndTheTagOrCollide() {
        assertEquals("{a%7Bb%7Dc}", keys.tag("a{b}c"));
        assertEquals("{%257D}", keys.tag("%7D"));
        assertNotEquals(keys.tag("}"), keys.tag("%7D"));
        String tag = keys.tag("x}y{z");
        assertEquals(tag.length() - 1, tag.indexOf('}'), "the only closing brace is the last character");
    }

    @Test
    void aPrefixOutsideItsAlphabetIsRefusedWithTheKeyName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new ClusterKeys("a b"));
        assertTrue(refused.getMessage().contains("switchboard.cluster.key-prefix"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClusterKeys("{tag}"));
        assertThrows(IllegalArgumentException.class, () -> new ClusterKeys(""));
    }
}
