package io.switchboard.websocket.core;

import java.util.List;

/**
 * The single-manager rule at one moment.
 *
 * @param implementations     the classes that implement {@link WebSocketManager} (exactly one when compliant)
 * @param factories           how many {@link WebSocketManagerFactory} beans exist (1 when compliant)
 * @param managers            how many managers are live
 * @param retiredManagerUses  how many times, since startup, code used a manager after the registry had
 *                            retired it for idleness (its work went to the user's live manager)
 * @param lastRetiredUser     the user of the last such use, or {@code null} if there was none
 * @param msSinceRetiredUse   how long ago the last such use was, or -1 if there was none
 * @param violations          what breaks the rule, one sentence each; empty when compliant
 */
public record ComplianceReport(
        List<String> implementations,
        int factories,
        int managers,
        long retiredManagerUses,
        String lastRetiredUser,
        long msSinceRetiredUse,
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
