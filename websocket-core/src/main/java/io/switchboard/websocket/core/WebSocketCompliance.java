package io.switchboard.websocket.core;

/**
 * The runtime check of the single-manager rule. Startup fails when the rule is broken by the code
 * itself (a second implementation, a second factory, a manager bean); what can only go wrong while
 * running (a second live manager for one user) shows in {@link #report()}. Inject it as a CDI bean.
 */
public interface WebSocketCompliance {

    /** The current state of the rule; cheap enough to call on every health probe. */
    ComplianceReport report();
}
