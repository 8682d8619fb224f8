package io.switchboard.websocket.api;

import java.util.regex.Pattern;

/** Argument checks shared by the records' compact constructors. */
final class Fields {
    static final int MAX_ID_LENGTH = 128;
    static final int MAX_CONTENT_LENGTH = 32_768;
    private static final Pattern THREAD_ID = Pattern.compile("[A-Za-z0-9_.:-]{1," + MAX_ID_LENGTH + "}");

    private Fields() {}

    static String required(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is required");
        }
        return value;
    }

    static String nonBlank(String value, String field) {
        required(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' must not be blank");
        }
        return value;
    }

    static String threadId(String value) {
        required(value, "thread_id");
        if (!THREAD_ID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "field 'thread_id' must be 1-" + MAX_ID_LENGTH + " characters of A-Za-z0-9_.:-");
        }
        return value;
    }

    static String id(String value, String field) {
        nonBlank(value, field);
        if (value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(
                    "field '" + field + "' must be at most " + MAX_ID_LENGTH + " characters");
        }
        return value;
    }

    static String optionalId(String value, String field) {
        return value == null ? null : id(value, field);
    }

    static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException("field '" + field + "' must not be negative");
        }
        return value;
    }

    static long positive(long value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException("field '" + field + "' must be at least 1");
        }
        return value;
    }
}
