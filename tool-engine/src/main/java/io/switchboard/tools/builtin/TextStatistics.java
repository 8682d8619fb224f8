package io.switchboard.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.tools.Tool;
import io.switchboard.tools.ToolException;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code text_statistics}: counts characters, words, sentences and lines, and the commonest words. */
@Singleton
public final class TextStatistics implements Tool {
    public static final String NAME = "text_statistics";
    private static final int MAX_TEXT = 32_768;
    private static final int TOP_WORDS = 5;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+(\\s|$)");
    private static final ObjectNode PARAMETERS = Tool.parameterSchema("""
            {"type": "object",
            "properties": {"text": {"type": "string", "description": "The text to count"}},
            "required": ["text"], "additionalProperties": false}
            """);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Counts characters, words, sentences and lines of a text and lists its commonest words; parameter 'text'.";
    }

    @Override
    public ObjectNode parameterSchema() {
        return PARAMETERS.deepCopy();
    }

    @Override
    public JsonNode execute(ObjectNode parameters) throws ToolException {
        String text = Parameters.requiredText(parameters, "text", MAX_TEXT);
        Map<String, Integer> counts = new HashMap<>();
        int words = 0;
        long letters = 0;
        Matcher word = WORD.matcher(text);
        while (word.find()) {
            words++;
            letters += word.group().length();
            counts.merge(word.group().toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        int sentences = 0;
        int afterLastEnd = 0;
        Matcher end = SENTENCE_END.matcher(text);
        while (end.find()) {
            sentences++;
            afterLastEnd = end.end();
        }
        if (WORD.matcher(text).region(afterLastEnd, text.length()).find()) {
            sentences++; // trailing words without a full stop still form a sentence
        }
        ObjectNode result = JsonNodeFactory.instance
                .objectNode()
                .put("characters", text.codePointCount(0, text.length()))
                .put("words", words)
                .put("sentences", sentences)
                .put("lines", text.isEmpty() ? 0 : (int) text.lines().count())
                .put("average_word_length", words == 0 ? 0 : Math.round(10.0 * letters / words) / 10.0);
        ArrayNode common = result.putArray("most_common_words");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_WORDS)
                .forEach(e -> common.addObject().put("word", e.getKey()).put("count", e.getValue()));
        return result;
    }
}
