package io.switchboard.websocket.core.internal;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness check {@code websocket-delivery}: DOWN, with the reason, when the delivery canary's probes stop arriving. */
@Readiness
@Singleton
final class DeliveryHealthCheck implements HealthCheck {
    private final DeliveryCanary canary;

    @Inject
    DeliveryHealthCheck(DeliveryCanary canary) {
        this.canary = canary;
    }

    @Override
    public HealthCheckResponse call() {
        DeliveryCanary.State state = canary.state();
        String failure = canary.failure();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("websocket-delivery")
                .status(failure == null)
                .withData("canary_enabled", state.enabled())
                .withData("canary_connected", state.connected())
                .withData("probes_sent", state.probesSent())
                .withData("probes_received", state.probesReceived())
                .withData("ms_since_last_delivery", state.sinceLastDeliveryMillis())
                .withData("last_latency_ms", state.lastLatencyMillis());
        if (failure != null) {
            response.withData("reason", failure);
        }
        return response.build();
    }
}
