package io.switchboard.tests.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.switchboard.websocket.api.ClientFrame;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.api.FrameException;
import io.switchboard.websocket.api.ServerFrame;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/websocket/asyncapi.yaml} against the frame types of {@code websocket-api}: one message per
 * wire type and one wire type per message, the same fields, and the same required fields as
 * {@link FrameCodec} really requires (found by removing each field from the document's examples).
 */
class AsyncApiTest {
    private static final Set<String> EVENT_FIELDS = Set.of("type", "event_id", "user_id", "timestamp");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode document;
    private static Map<String, Frame> frames;

    /** A frame type as websocket-api declares it. */
    record Frame(String wireType, Class<?> type, boolean fromServer, Set<String> fields) {}

    @BeforeAll
    static void load() throws IOException {
        document = new YAMLMapper()
                .readTree(Docs.root().resolve("websocket/asyncapi.yaml").toFile());
        frames = framesOfTheApi();
    }

    @Test
    void theDocumentIsAsyncApi3WithTheWsChannelAndBothSecuritySchemes() {
        assertEquals("3.0.0", document.path("asyncapi").asText());
        assertEquals("/ws", document.at("/channels/ws/address").asText());
        assertTrue(document.at("/components/securitySchemes/bearer").isObject(), "bearer scheme");
        assertTrue(document.at("/components/securitySchemes/ticket").isObject(), "ticket scheme");
        assertEquals(
                Set.of("ticket", "epoch", "last_event_id"),
                names(document.at("/channels/ws/bindings/ws/query/properties")));
    }

    @Test
    void everyFrameTypeHasAMessageAndEveryMessageAFrameType() {
        assertEquals(new TreeSet<>(frames.keySet()), new TreeSet<>(names(document.at("/components/messages"))));
        assertEquals(new TreeSet<>(frames.keySet()), new TreeSet<>(names(document.at("/channels/ws/messages"))));
        Set<String> received = operationMessages("receiveServerFrames");
        Set<String> sent = operationMessages("sendClientFrames");
        frames.values()
                .forEach(frame -> assertTrue(
                        (frame.fromServer() ? received : sent).contains(frame.wireType()),
                        frame.wireType() + " is in the " + (frame.fromServer() ? "receive" : "send") + " operation"));
        assertEquals(frames.size(), received.size() + sent.size());
    }

    @Test
    void everyMessageHasTheFieldsOfItsType() {
        for (Frame frame : frames.values()) {
            JsonNode payload = payload(frame);
            assertEquals("object", payload.path("type").asText(), frame.wireType());
            assertEquals(
                    frame.wireType(),
                    payload.at("/properties/type/const").asText(),
                    frame.wireType() + ": properties.type.const");
            assertEquals(
                    new TreeSet<>(frame.fields()),
                    new TreeSet<>(names(payload.path("properties"))),
                    frame.wireType() + ": the fields of " + frame.type().getSimpleName());
        }
    }

    @Test
    void everyExampleIsAFrameTheCodecReadsAndWritesBackUnchanged() throws IOException {
        for (Frame frame : frames.values()) {
            List<ObjectNode> examples = examples(frame);
            assertFalse(examples.isEmpty(), frame.wireType() + " has an example");
            for (ObjectNode example : examples) {
                String text = JSON.writeValueAsString(example);
                String again = frame.fromServer()
                        ? FrameCodec.encode(FrameCodec.decodeServerFrame(text))
                        : FrameCodec.encode(FrameCodec.decodeClientFrame(text));
                assertEquals(example, JSON.readTree(again), frame.wireType() + " example " + text);
            }
        }
    }

    @Test
    void theRequiredFieldsAreExactlyTheOnesTheCodecRefusesToDoWithout() throws IOException {
        for (Frame frame : frames.values()) {
            Set<String> required = new TreeSet<>();
            payload(frame).path("required").forEach(n -> required.add(n.asText()));
            assertEquals(requiredByTheCodec(frame), required, frame.wireType() + ": required");
        }
    }

    @Test
    void theComparisonNoticesAFieldMissingFromTheDocument() throws IOException {
        Frame userMessage = frames.get("user_message");
        ObjectNode broken = (ObjectNode) payload(userMessage).deepCopy();
        ((ObjectNode) broken.path("properties")).remove("content");
        assertFalse(new TreeSet<>(userMessage.fields()).equals(new TreeSet<>(names(broken.path("properties")))));
        assertTrue(requiredByTheCodec(userMessage).contains("content"));
    }

    /** A field is required when every example without it is refused. */
    private static Set<String> requiredByTheCodec(Frame frame) throws IOException {
        Set<String> required = new TreeSet<>(frame.fields());
        for (ObjectNode example : examples(frame)) {
            for (Iterator<String> names = example.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                ObjectNode without = example.deepCopy();
                without.remove(field);
                if (decodes(frame, JSON.writeValueAsString(without))) {
                    required.remove(field);
                }
            }
            frame.fields().stream().filter(f -> !example.has(f)).forEach(required::remove);
        }
        return required;
    }

    private static boolean decodes(Frame frame, String text) {
        try {
            if (frame.fromServer()) {
                FrameCodec.decodeServerFrame(text);
            } else {
                FrameCodec.decodeClientFrame(text);
            }
            return true;
        } catch (FrameException e) {
            return false;
        }
    }

    private static JsonNode payload(Frame frame) {
        return document.at("/components/messages/" + frame.wireType() + "/payload");
    }

    private static List<ObjectNode> examples(Frame frame) {
        List<ObjectNode> examples = new ArrayList<>();
        document.at("/components/messages/" + frame.wireType() + "/examples")
                .forEach(e -> examples.add((ObjectNode) e.path("payload")));
        return examples;
    }

    private static Set<String> operationMessages(String operation) {
        Set<String> messages = new LinkedHashSet<>();
        document.at("/operations/" + operation + "/messages").forEach(ref -> {
            String path = ref.path("$ref").asText();
            messages.add(path.substring(path.lastIndexOf('/') + 1));
        });
        return messages;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Every concrete frame: leaves of the sealed ServerFrame and ClientFrame, events by payload type. */
    private static Map<String, Frame> framesOfTheApi() {
        Map<String, Frame> frames = new TreeMap<>();
        for (Class<?> type : leaves(ServerFrame.class)) {
            if (type.getSimpleName().equals("Event")) {
                for (Class<?> payload : leaves(EventPayload.class)) {
                    Set<String> fields = new LinkedHashSet<>(EVENT_FIELDS);
                    fields.addAll(fieldsOf(payload));
                    frames.put(wireType(payload), new Frame(wireType(payload), payload, true, fields));
                }
                continue;
            }
            add(frames, type, true);
        }
        leaves(ClientFrame.class).forEach(type -> add(frames, type, false));
        return frames;
    }

    private static void add(Map<String, Frame> frames, Class<?> type, boolean fromServer) {
        Set<String> fields = new LinkedHashSet<>(Set.of("type"));
        fields.addAll(fieldsOf(type));
        frames.put(wireType(type), new Frame(wireType(type), type, fromServer, fields));
    }

    private static List<Class<?>> leaves(Class<?> sealed) {
        List<Class<?>> leaves = new ArrayList<>();
        for (Class<?> permitted : sealed.getPermittedSubclasses()) {
            if (permitted.isSealed()) {
                leaves.addAll(leaves(permitted));
            } else {
                leaves.add(permitted);
            }
        }
        return leaves;
    }

    private static String wireType(Class<?> type) {
        try {
            return (String) type.getField("TYPE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type.getName() + " declares no TYPE constant", e);
        }
    }

    private static List<String> fieldsOf(Class<?> record) {
        List<String> fields = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            fields.add(component.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT));
        }
        return fields;
    }
}
