package io.switchboard.tests;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A delivery canary that probes every 200 ms and reports a failure after one second of silence. */
public class CanaryProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "switchboard.websocket.canary.interval", "200MS",
                "switchboard.websocket.canary.max-silence", "1S");
    }
}
