package io.switchboard.tests;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * For hundreds of stalled tabs on one test JVM: a 256 KiB outbound bound per connection, logs of 20
 * events (so that what the logs keep stays small beside what the sockets hold), kernel send buffers
 * of 32 KiB (so that what a stalled client makes the server hold is mostly its outbound bound, not the
 * kernel's buffers), and 20 s for a closing client before its TCP connection is cut.
 */
public class ManySlowTabsProfile implements QuarkusTestProfile {
    static final int BOUND = 256 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "switchboard.websocket.outbound.max-bytes", Integer.toString(BOUND),
                "switchboard.websocket.retention.events", "20",
                "switchboard.websocket.outbound.slow-consumer-timeout", "1S",
                "switchboard.websocket.close-timeout", "20S",
                "switchboard.websocket.socket-send-buffer", "32768");
    }
}
