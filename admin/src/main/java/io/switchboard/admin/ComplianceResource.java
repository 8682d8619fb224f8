package io.switchboard.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.switchboard.websocket.core.ComplianceReport;
import io.switchboard.websocket.core.WebSocketCompliance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code GET /api/admin/compliance}: the runtime report of the single-manager rule. */
@Path("/api/admin/compliance")
@RolesAllowed("admin")
public class ComplianceResource {

    /** The report as served. */
    public record Compliance(
            @JsonProperty("compliant") boolean compliant,
            @JsonProperty("implementations") List<String> implementations,
            @JsonProperty("factories") int factories,
            @JsonProperty("managers") int managers,
            @JsonProperty("retired_manager_uses") long retiredManagerUses,
            @JsonProperty("last_retired_user") String lastRetiredUser,
            @JsonProperty("ms_since_retired_use") long msSinceRetiredUse,
            @JsonProperty("violations") List<String> violations) {

        static Compliance of(ComplianceReport report) {
            return new Compliance(
                    report.compliant(),
                    report.implementations(),
                    report.factories(),
                    report.managers(),
                    report.retiredManagerUses(),
                    report.lastRetiredUser(),
                    report.msSinceRetiredUse(),
                    report.violations());
        }
    }

    @Inject
    WebSocketCompliance compliance;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The runtime report of the single-manager rule")
    @APIResponse(
            responseCode = "200",
            description = "Implementations, factories, live managers, uses of retired managers, violations")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    public Compliance report() {
        return Compliance.of(compliance.report());
    }
}
