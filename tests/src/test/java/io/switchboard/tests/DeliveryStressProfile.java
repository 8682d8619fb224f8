package io.switchboard.tests;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * For streams larger than the default retention: logs keep 20,000 events, a stalled connection is
 * closed after 1 s, and a closing one is given 20 s to read its close frame before its TCP
 * connection is cut (so that a paused test client can still see the code).
 */
public class DeliveryStressProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "switchboard.websocket.retention.events", "20000",
                "switchboard.websocket.outbound.slow-consumer-timeout", "1S",
                "switchboard.websocket.close-timeout", "20S");
    }
}
