package io.switchboard.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    /** Reads the tools' parameter schemas. */
    ObjectMapper SCHEMA_READER = new ObjectMapper();

    /** The unique name agents call it by, such as {@code calculator}: lower case, digits and underscores. */
    String name();

    /** One sentence saying what the tool does and which parameters it takes. */
    String description();

    /**
     * The JSON Schema of the call's parameters, offered to models that call tools: an object schema
     * with {@code type}, {@code properties}, {@code required} and {@code additionalProperties} at the top
     * (the part every provider accepts). {@link #parameterSchema(String)} reads one from JSON text.
     * The default, an object of any properties, tells a model nothing: declare the real one.
     */
    default ObjectNode parameterSchema() {
        return parameterSchema("{\"type\": \"object\"}");
    }

    /** Reads a parameter schema written as JSON text; fails at once on a malformed one. */
    static ObjectNode parameterSchema(String json) {
        try {
            JsonNode schema = SCHEMA_READER.readTree(json);
            if (!(schema instanceof ObjectNode object)
                    || !"object".equals(object.path("type").asText())) {
                throw new IllegalArgumentException("a parameter schema is a JSON object with \"type\": \"object\"");
            }
            return object;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a parameter schema is not JSON: " + e.getOriginalMessage(), e);
        }
    }

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
