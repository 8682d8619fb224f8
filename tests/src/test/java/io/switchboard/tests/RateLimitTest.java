package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.websocket.api.ErrorCode;
import io.switchboard.websocket.api.ErrorFrame;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.api.Pong;
import io.switchboard.websocket.api.ServerFrame;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@MissionCritical
class RateLimitTest {

    @TestHTTPResource("/ws")
    URI endpoint;

    @Test
    void aBurstBeyondTheLimitIsAnsweredWithRateLimitedAndTheConnectionStays() throws Exception {
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("bursty"))) {
            for (int i = 0; i < 60; i++) {
                client.send("{\"type\":\"ping\"}");
            }
            int pongs = 0;
            int limited = 0;
            for (int i = 0; i < 60; i++) {
                ServerFrame frame = client.next();
                if (frame instanceof Pong) {
                    pongs++;
                } else if (frame instanceof ErrorFrame error && error.code() == ErrorCode.RATE_LIMITED) {
                    limited++;
                }
            }
            // 40 of the burst, plus what refilled (20 a second) while the 60 frames were arriving
            assertTrue(pongs >= 40 && pongs <= 55, "pongs " + pongs);
            assertEquals(60 - pongs, limited);
            Thread.sleep(1_000);
            client.assertOpenWithPong();
        }
    }

    @Test
    void aSustainedFloodIsClosedWith1008() throws Exception {
        try (WsClient client = WsClient.connect(Endpoints.ws(endpoint), Tokens.valid("flooder"))) {
            long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            try {
                while (System.nanoTime() < end && !client.closedByServer()) {
                    client.send("{\"type\":\"ping\"}");
                    Thread.sleep(2); // about 500 frames a second, 25 times the limit
                }
            } catch (RuntimeException sendFailedAfterClose) {
                // the server closed the connection while we were still sending
            }
            assertEquals(1008, client.awaitCloseCode());
            String text;
            while ((text = client.poll()) != null) {
                FrameCodec.decodeServerFrame(text);
            }
        }
    }
}
