package io.switchboard.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.tools.ToolException;

/** Reads the built-in tools' parameters, failing with the parameter's name. */
final class Parameters {
    private Parameters() {}

    static String requiredText(ObjectNode parameters, String name, int maxLength) throws ToolException {
        JsonNode value = parameters.get(name);
        if (value == null || !value.isTextual()) {
            throw new ToolException("parameter '" + name + "' must be a string");
        }
        String text = value.textValue();
        if (text.length() > maxLength) {
            throw new ToolException("parameter '" + name + "' must be at most " + maxLength + " characters");
        }
        return text;
    }

    static String optionalText(ObjectNode parameters, String name, int maxLength) throws ToolException {
        JsonNode value = parameters.get(name);
        return value == null || value.isNull() ? null : requiredText(parameters, name, maxLength);
    }
}
