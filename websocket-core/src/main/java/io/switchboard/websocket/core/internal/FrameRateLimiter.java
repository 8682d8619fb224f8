package io.switchboard.websocket.core.internal;

import java.util.concurrent.TimeUnit;

/**
 * One connection's inbound rate: a token bucket for the frames it may send, and a flood detector
 * for a client that keeps sending far beyond it. Used from the connection's event loop only.
 */
final class FrameRateLimiter {
    enum Verdict {
        ADMIT,
        LIMITED,
        FLOOD
    }

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final double tokensPerNano;
    private final double burst;
    private final int floodFramesPerSecond;
    private double tokens;
    private long refilledAt;
    private long windowStart;
    private int framesInWindow;
    private int floodedWindows;

    FrameRateLimiter(int framesPerSecond, int burst, int floodFactor, long nowNanos) {
        this.tokensPerNano = framesPerSecond / (double) SECOND;
        this.burst = burst;
        this.floodFramesPerSecond = framesPerSecond * floodFactor;
        this.tokens = burst;
        this.refilledAt = nowNanos;
        this.windowStart = nowNanos;
    }

    Verdict onFrame(long nowNanos) {
        if (nowNanos - windowStart >= SECOND) {
            floodedWindows = framesInWindow > floodFramesPerSecond ? floodedWindows + 1 : 0;
            if (nowNanos - windowStart >= 2 * SECOND) {
                floodedWindows = 0; // a quiet second in between
            }
            windowStart = nowNanos;
            framesInWindow = 0;
        }
        framesInWindow++;
        if (floodedWindows >= 1 && framesInWindow > floodFramesPerSecond) {
            return Verdict.FLOOD;
        }
        tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * tokensPerNano);
        refilledAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ADMIT;
        }
        return Verdict.LIMITED;
    }
}
