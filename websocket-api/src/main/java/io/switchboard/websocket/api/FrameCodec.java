package io.switchboard.websocket.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one JSON mapping of the protocol: every {@link ServerFrame} and {@link ClientFrame} to and
 * from its wire form. Thread-safe and stateless.
 *
 * <p>Decoding is strict about what the protocol defines (types, required fields, ranges,
 * duplicate keys) and ignores fields it does not know, so that later protocol versions can add
 * fields. Every failure is a {@link FrameException} whose code is {@code invalid_json} (not JSON
 * at all), {@code unknown_type} (a {@code type} this side does not know) or {@code invalid_message}
 * (anything else), and whose message names the field and what was wrong.
 */
public final class FrameCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** The last payload each thread encoded, kept by identity (payloads are immutable). */
    private static final ThreadLocal<EncodedPayload> LAST_PAYLOAD = new ThreadLocal<>();
    /** The last timestamp each thread formatted. */
    private static final ThreadLocal<FormattedTimestamp> LAST_TIMESTAMP = new ThreadLocal<>();

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private record EncodedPayload(EventPayload payload, String fields) {}

    private record FormattedTimestamp(long epochMillis, String text) {}

    private FrameCodec() {}

    /** The wire form of a timestamp: ISO-8601 UTC with milliseconds. */
    public static String formatTimestamp(Instant instant) {
        long millis = instant.toEpochMilli();
        FormattedTimestamp last = LAST_TIMESTAMP.get();
        if (last != null && last.epochMillis() == millis) {
            return last.text(); // a broadcast stamps hundreds of events within one millisecond
        }
        String text = TIMESTAMP.format(instant);
        LAST_TIMESTAMP.set(new FormattedTimestamp(millis, text));
        return text;
    }

    // ---- server frames ----

    /** The JSON text of a server frame. */
    public static String encode(ServerFrame frame) {
        if (frame instanceof Event event) {
            return encodeEvent(event);
        }
        StringWriter out = new StringWriter(128);
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", frame.type());
            if (frame instanceof ConnectionEstablished c) {
                json.writeStringField("connection_id", c.connectionId());
                json.writeStringField("user_id", c.userId());
                json.writeNumberField("protocol_version", c.protocolVersion());
                json.writeStringField("epoch", c.epoch());
                json.writeNumberField("last_event_id", c.lastEventId());
                json.writeNumberField("heartbeat_interval_ms", c.heartbeatIntervalMs());
            } else if (frame instanceof ResyncRequired r) {
                json.writeStringField("epoch", r.epoch());
                json.writeNumberField("last_event_id", r.lastEventId());
                json.writeNumberField("oldest_event_id", r.oldestEventId());
            } else if (frame instanceof ErrorFrame e) {
                json.writeStringField("code", e.code().wireName());
                json.writeStringField("message", e.message());
                writeOptional(json, "request_id", e.requestId());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("a frame could not be written as JSON", e);
        }
        return out.toString();
    }

    /**
     * An event: the common fields, then the payload's, which are encoded once per payload and thread
     * (a broadcast emits one payload to every user, and only the common fields differ).
     */
    private static String encodeEvent(Event event) {
        String payload = payloadFields(event.payload());
        StringBuilder text = new StringBuilder(payload.length() + 112);
        appendBeforeId(text, event.type());
        text.append(event.eventId());
        appendAfterId(text, event.userId(), event.timestamp(), payload);
        return text.toString();
    }

    /**
     * An event's JSON text without its id, for a store that assigns the id itself: in cluster mode a
     * Redis script puts the id between the two parts, so {@code withId(n)} is what
     * {@link #encode(ServerFrame)} gives for the event with id {@code n}.
     */
    public record EventText(String beforeId, String afterId) {
        /** The whole text with that id. */
        public String withId(long eventId) {
            return beforeId + eventId + afterId;
        }
    }

    /** The text of the event of that user, time and payload, around the id it does not have yet. */
    public static EventText encodeEventAroundId(String userId, Instant timestamp, EventPayload payload) {
        StringBuilder before = new StringBuilder(32);
        appendBeforeId(before, payload.type());
        String fields = payloadFields(payload);
        StringBuilder after = new StringBuilder(fields.length() + 80);
        appendAfterId(after, userId, timestamp, fields);
        return new EventText(before.toString(), after.toString());
    }

    private static void appendBeforeId(StringBuilder text, String type) {
        text.append("{\"type\":");
        quoted(text, type);
        text.append(",\"event_id\":");
    }

    private static void appendAfterId(StringBuilder text, String userId, Instant timestamp, String payloadFields) {
        text.append(",\"user_id\":");
        quoted(text, userId);
        text.append(",\"timestamp\":\"").append(formatTimestamp(timestamp)).append('"');
        if (!payloadFields.isEmpty()) {
            text.append(',').append(payloadFields);
        }
        text.append('}');
    }

    private static void quoted(StringBuilder text, String value) {
        text.append('"');
        if (plain(value)) {
            text.append(value); // user ids and type names rarely need escaping
        } else {
            text.append(JsonStringEncoder.getInstance().quoteAsString(value));
        }
        text.append('"');
    }

    /** Whether the text is printable ASCII without a quote or a backslash, so JSON needs no escape in it. */
    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** The payload's fields as JSON members without the braces, from the thread's last one when it is the same. */
    private static String payloadFields(EventPayload payload) {
        EncodedPayload last = LAST_PAYLOAD.get();
        if (last != null && last.payload() == payload) {
            return last.fields();
        }
        StringWriter out = new StringWriter(128);
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            json.writeStartObject();
            writePayload(json, payload);
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("an event could not be written as JSON", e);
        }
        String object = out.toString();
        String fields = object.substring(1, object.length() - 1);
        LAST_PAYLOAD.set(new EncodedPayload(payload, fields));
        return fields;
    }

    private static void writePayload(JsonGenerator json, EventPayload payload) throws IOException {
        if (payload instanceof RunEventPayload run) {
            json.writeStringField("thread_id", run.threadId());
            json.writeStringField("run_id", run.runId());
        }
        if (payload instanceof AgentStarted p) {
            json.writeStringField("agent_name", p.agentName());
            writeOptional(json, "request_id", p.requestId());
        } else if (payload instanceof AgentThinking p) {
            json.writeStringField("reasoning", p.reasoning());
        } else if (payload instanceof AgentTextDelta p) {
            json.writeStringField("text", p.text());
        } else if (payload instanceof ToolExecuting p) {
            json.writeStringField("tool_name", p.toolName());
            json.writeFieldName("parameters");
            json.writeTree(p.parameters());
        } else if (payload instanceof ToolCompleted p) {
            json.writeStringField("tool_name", p.toolName());
            json.writeStringField("status", p.status().wireName());
            if (p.results() != null) {
                json.writeFieldName("results");
                json.writeTree(p.results());
            }
            writeOptional(json, "error", p.error());
            json.writeNumberField("duration_ms", p.durationMs());
        } else if (payload instanceof AgentCompleted p) {
            json.writeStringField("status", p.status().wireName());
            json.writeStringField("final_response", p.finalResponse());
            writeOptional(json, "error", p.error());
        } else if (payload instanceof Notification p) {
            json.writeStringField("level", p.level().wireName());
            json.writeStringField("title", p.title());
            json.writeStringField("body", p.body());
            writeOptional(json, "thread_id", p.threadId());
        }
    }

    private static void writeOptional(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    /** Parses a server frame, as a client does. */
    public static ServerFrame decodeServerFrame(String text) {
        return decode(text, FrameCodec::readServerFrame);
    }

    private static ServerFrame readServerFrame(String type, JsonFields f) {
        switch (type) {
            case ConnectionEstablished.TYPE:
                return new ConnectionEstablished(
                        f.string("connection_id"),
                        f.string("user_id"),
                        (int) f.integer("protocol_version"),
                        f.string("epoch"),
                        f.integer("last_event_id"),
                        f.integer("heartbeat_interval_ms"));
            case ResyncRequired.TYPE:
                return new ResyncRequired(f.string("epoch"), f.integer("last_event_id"), f.integer("oldest_event_id"));
            case Pong.TYPE:
                return new Pong();
            case ErrorFrame.TYPE:
                ErrorCode code = ErrorCode.fromWireName(f.string("code"))
                        .orElseThrow(() -> f.invalid("field 'code' is not a known error code"));
                return new ErrorFrame(code, f.string("message"), f.optionalString("request_id"));
            default:
                EventPayload payload = readPayload(type, f);
                return new Event(f.integer("event_id"), f.string("user_id"), f.instant("timestamp"), payload);
        }
    }

    private static EventPayload readPayload(String type, JsonFields f) {
        switch (type) {
            case AgentStarted.TYPE:
                return new AgentStarted(
                        f.string("thread_id"),
                        f.string("run_id"),
                        f.string("agent_name"),
                        f.optionalString("request_id"));
            case AgentThinking.TYPE:
                return new AgentThinking(f.string("thread_id"), f.string("run_id"), f.string("reasoning"));
            case AgentTextDelta.TYPE:
                return new AgentTextDelta(f.string("thread_id"), f.string("run_id"), f.string("text"));
            case ToolExecuting.TYPE:
                return new ToolExecuting(
                        f.string("thread_id"), f.string("run_id"), f.string("tool_name"), f.object("parameters"));
            case ToolCompleted.TYPE:
                return new ToolCompleted(
                        f.string("thread_id"),
                        f.string("run_id"),
                        f.string("tool_name"),
                        f.enumValue("status", ToolStatus.class),
                        f.optionalAny("results"),
                        f.optionalString("error"),
                        f.integer("duration_ms"));
            case AgentCompleted.TYPE:
                return new AgentCompleted(
                        f.string("thread_id"),
                        f.string("run_id"),
                        f.enumValue("status", RunStatus.class),
                        f.string("final_response"),
                        f.optionalString("error"));
            case Notification.TYPE:
                return new Notification(
                        f.enumValue("level", NotificationLevel.class),
                        f.string("title"),
                        f.string("body"),
                        f.optionalString("thread_id"));
            default:
                throw new FrameException(ErrorCode.UNKNOWN_TYPE, "unknown frame type '" + type + "'", f.requestId());
        }
    }

    // ---- client frames ----

    /** The JSON text of a client frame, as a client sends it. */
    public static String encode(ClientFrame frame) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", frame.type());
        if (frame instanceof UserMessage m) {
            node.put("thread_id", m.threadId());
            node.put("content", m.content());
        } else if (frame instanceof CancelRun c) {
            node.put("run_id", c.runId());
        }
        putOptional(node, "request_id", frame.requestId());
        return write(node);
    }

    /** Parses a frame a client sent. */
    public static ClientFrame decodeClientFrame(String text) {
        return decode(text, FrameCodec::readClientFrame);
    }

    private static ClientFrame readClientFrame(String type, JsonFields f) {
        switch (type) {
            case UserMessage.TYPE:
                return new UserMessage(f.string("thread_id"), f.string("content"), f.requestId());
            case CancelRun.TYPE:
                return new CancelRun(f.string("run_id"), f.requestId());
            case Ping.TYPE:
                return new Ping(f.requestId());
            default:
                throw new FrameException(ErrorCode.UNKNOWN_TYPE, "unknown frame type '" + type + "'", f.requestId());
        }
    }

    // ---- shared ----

    @FunctionalInterface
    private interface Reader<T> {
        T read(String type, JsonFields fields);
    }

    private static <T> T decode(String text, Reader<T> reader) {
        if (text == null) {
            throw new FrameException(ErrorCode.INVALID_JSON, "frame is empty");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new FrameException(ErrorCode.INVALID_JSON, "frame is not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new FrameException(ErrorCode.INVALID_JSON, "frame is empty");
        }
        if (!tree.isObject()) {
            throw new FrameException(ErrorCode.INVALID_MESSAGE, "frame must be a JSON object");
        }
        ObjectNode object = (ObjectNode) tree;
        JsonNode requestIdNode = object.get("request_id");
        String requestId = requestIdNode != null && requestIdNode.isTextual() ? requestIdNode.textValue() : null;
        JsonFields fields = new JsonFields(object, requestId);
        fields.optionalString("request_id");
        String type = fields.string("type");
        try {
            return reader.read(type, fields);
        } catch (IllegalArgumentException e) {
            throw fields.invalid(e.getMessage());
        }
    }

    private static void putOptional(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
