package io.switchboard.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tool as an agent may offer it to a model.
 *
 * @param parameters the JSON Schema of its parameters (an object schema); a copy of its own
 */
public record ToolDescription(String name, String description, ObjectNode parameters) {

    public ToolDescription {
        parameters = parameters.deepCopy();
    }

    @Override
    public ObjectNode parameters() {
        return parameters.deepCopy();
    }
}
