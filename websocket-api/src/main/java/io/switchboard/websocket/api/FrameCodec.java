package io.switchboard.websocket.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private FrameCodec() {}

    /** The wire form of a timestamp: ISO-8601 UTC with milliseconds. */
    public static String formatTimestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    // ---- server frames ----

    /** The JSON text of a server frame. */
    public static String encode(ServerFrame frame) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", frame.type());
        if (frame instanceof Event event) {
            node.put("event_id", event.eventId());
            node.put("user_id", event.userId());
            node.put("timestamp", formatTimestamp(event.timestamp()));
            writePayload(node, event.payload());
        } else if (frame instanceof ConnectionEstablished c) {
            node.put("connection_id", c.connectionId());
            node.put("user_id", c.userId());
            node.put("protocol_version", c.protocolVersion());
            node.put("epoch", c.epoch());
            node.put("last_event_id", c.lastEventId());
            node.put("heartbeat_interval_ms", c.heartbeatIntervalMs());
        } else if (frame instanceof ResyncRequired r) {
            node.put("epoch", r.epoch());
            node.put("last_event_id", r.lastEventId());
            node.put("oldest_event_id", r.oldestEventId());
        } else if (frame instanceof ErrorFrame e) {
            node.put("code", e.code().wireName());
            node.put("message", e.message());
            putOptional(node, "request_id", e.requestId());
        }
        return write(node);
    }

    private static void writePayload(ObjectNode node, EventPayload payload) {
        if (payload instanceof RunEventPayload run) {
            node.put("thread_id", run.threadId());
            node.put("run_id", run.runId());
        }
        if (payload instanceof AgentStarted p) {
            node.put("agent_name", p.agentName());
            putOptional(node, "request_id", p.requestId());
        } else if (payload instanceof AgentThinking p) {
            node.put("reasoning", p.reasoning());
        } else if (payload instanceof ToolExecuting p) {
            node.put("tool_name", p.toolName());
            node.set("parameters", p.parameters());
        } else if (payload instanceof ToolCompleted p) {
            node.put("tool_name", p.toolName());
            node.put("status", p.status().wireName());
            if (p.results() != null) {
                node.set("results", p.results());
            }
            putOptional(node, "error", p.error());
            node.put("duration_ms", p.durationMs());
        } else if (payload instanceof AgentCompleted p) {
            node.put("status", p.status().wireName());
            node.put("final_response", p.finalResponse());
            putOptional(node, "error", p.error());
        } else if (payload instanceof Notification p) {
            node.put("level", p.level().wireName());
            node.put("title", p.title());
            node.put("body", p.body());
            putOptional(node, "thread_id", p.threadId());
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
