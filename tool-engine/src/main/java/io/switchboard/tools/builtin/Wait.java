package io.switchboard.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.tools.Tool;
import io.switchboard.tools.ToolException;
import jakarta.inject.Singleton;

/**
 * {@code wait}: waits a number of seconds and says so. Shows long-running tools, timeouts and
 * cancellation with nothing else involved.
 */
@Singleton
public final class Wait implements Tool {
    public static final String NAME = "wait";
    private static final double MAX_SECONDS = 60;
    private static final ObjectNode PARAMETERS = Tool.parameterSchema("""
            {"type": "object",
            "properties": {"seconds": {"type": "number", "minimum": 0, "maximum": 60, "description": "How long to wait"}},
            "required": ["seconds"], "additionalProperties": false}
            """);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Waits for a number of seconds (at most 60); parameter 'seconds'.";
    }

    @Override
    public ObjectNode parameterSchema() {
        return PARAMETERS.deepCopy();
    }

    @Override
    public JsonNode execute(ObjectNode parameters) throws ToolException, InterruptedException {
        JsonNode seconds = parameters.get("seconds");
        if (seconds == null
                || !seconds.isNumber()
                || seconds.doubleValue() < 0
                || seconds.doubleValue() > MAX_SECONDS) {
            throw new ToolException("parameter 'seconds' must be a number from 0 to " + (int) MAX_SECONDS);
        }
        long millis = Math.round(seconds.doubleValue() * 1000);
        Thread.sleep(millis);
        return JsonNodeFactory.instance.objectNode().put("waited_ms", millis);
    }
}
