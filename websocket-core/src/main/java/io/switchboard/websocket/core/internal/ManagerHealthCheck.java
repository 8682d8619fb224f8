package io.switchboard.websocket.core.internal;

import io.smallrye.health.api.Wellness;
import io.switchboard.websocket.core.ComplianceReport;
import io.switchboard.websocket.core.WebSocketCompliance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Wellness check {@code websocket-managers} ({@code /q/health/well}): DOWN, with the reasons, while
 * the single-manager rule is bent (a retired manager was used lately). Not a readiness check: the
 * events still reach the user's live manager, so the node must keep serving while someone fixes the
 * code that holds on to a manager.
 */
@Wellness
@Singleton
final class ManagerHealthCheck implements HealthCheck {
    private final WebSocketCompliance compliance;

    @Inject
    ManagerHealthCheck(WebSocketCompliance compliance) {
        this.compliance = compliance;
    }

    @Override
    public HealthCheckResponse call() {
        ComplianceReport report = compliance.report();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("websocket-managers")
                .status(report.compliant())
                .withData("implementations", String.join(", ", report.implementations()))
                .withData("factories", report.factories())
                .withData("managers", report.managers())
                .withData("retired_manager_uses", report.retiredManagerUses());
        if (!report.compliant()) {
            response.withData("violations", String.join("; ", report.violations()));
        }
        return response.build();
    }
}
