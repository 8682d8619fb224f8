package io.switchboard.tests;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Heartbeats every second and idle users forgotten after two, so that lifetime tests run in seconds. */
public class ShortTimersProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "switchboard.websocket.heartbeat-interval", "1S",
                "switchboard.websocket.retention.idle-ttl", "2S",
                "switchboard.websocket.close-timeout", "10S");
    }
}
