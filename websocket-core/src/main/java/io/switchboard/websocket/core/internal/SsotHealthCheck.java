package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.ComplianceReport;
import io.switchboard.websocket.core.WebSocketCompliance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness check {@code websocket-ssot}: DOWN, with the reasons, when the single-manager rule is broken. */
@Readiness
@Singleton
final class SsotHealthCheck implements HealthCheck {
    private final WebSocketCompliance compliance;

    @Inject
    SsotHealthCheck(WebSocketCompliance compliance) {
        this.compliance = compliance;
    }

    @Override
    public HealthCheckResponse call() {
        ComplianceReport report = compliance.report();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("websocket-ssot")
                .status(report.compliant())
                .withData("implementations", String.join(", ", report.implementations()))
                .withData("factories", report.factories())
                .withData("managers", report.managers())
                .withData("max_managers_per_user", report.maxManagersPerUser())
                .withData("refused_duplicates", report.refusedDuplicates());
        if (!report.compliant()) {
            response.withData("violations", String.join("; ", report.violations()));
        }
        return response.build();
    }
}
