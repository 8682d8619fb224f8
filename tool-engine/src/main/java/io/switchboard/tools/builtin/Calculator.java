package io.switchboard.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.tools.Tool;
import io.switchboard.tools.ToolException;
import jakarta.inject.Singleton;

/** {@code calculator}: evaluates an arithmetic expression safely. */
@Singleton
public final class Calculator implements Tool {
    public static final String NAME = "calculator";
    private static final double LARGEST_EXACT_LONG = 9.007_199_254_740_992E15;
    private static final ObjectNode PARAMETERS = Tool.parameterSchema("""
            {"type": "object",
            "properties": {"expression": {"type": "string", "description": "The arithmetic expression, such as (2 + 3) * 4 ^ 2"}},
            "required": ["expression"], "additionalProperties": false}
            """);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Evaluates arithmetic with + - * / % ^ and parentheses; parameter 'expression'.";
    }

    @Override
    public ObjectNode parameterSchema() {
        return PARAMETERS.deepCopy();
    }

    @Override
    public JsonNode execute(ObjectNode parameters) throws ToolException {
        String expression = Parameters.requiredText(parameters, "expression", ExpressionParser.MAX_LENGTH);
        double value = ExpressionParser.evaluate(expression);
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("expression", expression);
        if (value == Math.rint(value) && Math.abs(value) <= LARGEST_EXACT_LONG) {
            result.put("value", (long) value);
        } else {
            result.put("value", value);
        }
        return result;
    }
}
