package io.switchboard.websocket.core.internal;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** What a node says of itself in the cluster view: its application version and whether it is ready. */
@Singleton
final class NodeDescription {
    private final Instance<HealthCheck> readiness;
    private final String version;

    @Inject
    NodeDescription(@Any @Readiness Instance<HealthCheck> readiness) {
        this.readiness = readiness;
        this.version = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.application.version", String.class)
                .orElse("unknown");
    }

    String version() {
        return version;
    }

    /** Whether every readiness check of this application is UP now. */
    boolean ready() {
        for (HealthCheck check : readiness) {
            if (check.call().getStatus() != HealthCheckResponse.Status.UP) {
                return false;
            }
        }
        return true;
    }
}
