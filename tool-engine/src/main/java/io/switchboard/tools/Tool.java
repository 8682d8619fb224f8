package io.switchboard.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;

/**
 * A tool an agent can call. Every CDI bean of this type is registered by its {@link #name()}.
 *
 * <p>{@link #execute} runs on a tool thread, never on an event loop; it may block, and it is
 * interrupted when the call times out or its run ends, so long work should honour interruption.
 */
public interface Tool {

    /** The unique name agents call it by, such as {@code calculator}: lower case, digits and underscores. */
    String name();

    /** One sentence saying what the tool does and which parameters it takes. */
    String description();

    /** How long a call may take before it ends with status {@code timeout}; empty for the engine's default. */
    default Optional<Duration> timeout() {
        return Optional.empty();
    }

    /**
     * Runs one call.
     *
     * @param parameters the call's arguments; never {@code null}
     * @return the result, any JSON value; not {@code null}
     * @throws ToolException when the call cannot be honoured (bad parameters, a failed computation);
     *                       its message is shown to the user
     * @throws Exception     any other failure, reported as status {@code error}
     */
    JsonNode execute(ObjectNode parameters) throws Exception;
}
