package io.switchboard.websocket.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads typed fields of one JSON object, failing with the field's name and what was wrong. */
final class JsonFields {
    private final ObjectNode node;
    private final String requestId;

    JsonFields(ObjectNode node, String requestId) {
        this.node = node;
        this.requestId = requestId;
    }

    String requestId() {
        return requestId;
    }

    FrameException invalid(String reason) {
        return new FrameException(ErrorCode.INVALID_MESSAGE, reason, requestId);
    }

    private JsonNode present(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw invalid("field '" + field + "' is missing");
        }
        return value;
    }

    String string(String field) {
        JsonNode value = present(field);
        if (!value.isTextual()) {
            throw invalid("field '" + field + "' must be a string");
        }
        return value.textValue();
    }

    String optionalString(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : string(field);
    }

    long integer(String field) {
        JsonNode value = present(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalid("field '" + field + "' must be an integer");
        }
        return value.longValue();
    }

    ObjectNode object(String field) {
        JsonNode value = present(field);
        if (!value.isObject()) {
            throw invalid("field '" + field + "' must be an object");
        }
        return (ObjectNode) value;
    }

    JsonNode optionalAny(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isMissingNode() ? null : value;
    }

    Instant instant(String field) {
        String text = string(field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid("field '" + field + "' must be an ISO-8601 UTC timestamp");
        }
    }

    <E extends Enum<E>> E enumValue(String field, Class<E> type) {
        String text = string(field);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(text)) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ")
                    .append(constant.name().toLowerCase(Locale.ROOT));
        }
        throw invalid("field '" + field + "' must be one of " + allowed);
    }
}
