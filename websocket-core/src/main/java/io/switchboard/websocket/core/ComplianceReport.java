package io.switchboard.websocket.core;

import java.util.List;

/**
 * The single-manager rule at one moment.
 *
 * @param implementations    the classes that implement {@link WebSocketManager} (exactly one when compliant)
 * @param factories          how many {@link WebSocketManagerFactory} beans exist (1 when compliant)
 * @param managers           how many managers are live
 * @param maxManagersPerUser the most live managers any one user has (at most 1 when compliant)
 * @param refusedDuplicates  how many times a second manager for a user was refused since startup
 * @param violations         what breaks the rule, one sentence each; empty when compliant
 */
public record ComplianceReport(
        List<String> implementations,
        int factories,
        int managers,
        int maxManagersPerUser,
        long refusedDuplicates,
        List<String> violations) {

    public ComplianceReport {
        implementations = List.copyOf(implementations);
        violations = List.copyOf(violations);
    }

    /** Whether the rule holds. */
    public boolean compliant() {
        return violations.isEmpty();
    }
}
