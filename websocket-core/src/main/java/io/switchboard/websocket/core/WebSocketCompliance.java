package io.switchboard.websocket.core;

/**
 * The runtime check of the single-manager rule. Startup fails when the rule is broken by the code
 * itself (a second implementation, a second factory, a manager bean). While running, the one way to
 * bend it is to keep a manager past its retirement and use it as if it were still the user's: the
 * registry sends such work to the live manager, counts it, and {@link #report()} names it as a
 * violation for ten minutes. Inject it as a CDI bean.
 */
public interface WebSocketCompliance {

    /** The current state of the rule; cheap enough to call on every health probe. */
    ComplianceReport report();
}
