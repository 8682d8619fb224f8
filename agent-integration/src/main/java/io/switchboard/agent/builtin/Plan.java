package io.switchboard.agent.builtin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the built-in agent decides to do with a message: which tool to call with which parameters,
 * or none. Deterministic: the same message always gives the same plan.
 *
 * @param tool the tool to call, or {@code null} for none
 */
record Plan(String tool, ObjectNode parameters, String reasoning) {
    private static final Pattern WAIT = Pattern.compile("\\bwait\\s+(\\d{1,2}(?:\\.\\d+)?)\\s*(?:s|secs?|seconds?)\\b");
    private static final Pattern ARITHMETIC_RUN = Pattern.compile("[0-9.\\s+\\-*/%^()]+");
    private static final Pattern HAS_OPERATION = Pattern.compile("[0-9.)]\\s*[+\\-*/%^]\\s*[-+(]*\\s*[0-9.(]");
    private static final Pattern TIME_WORDS = Pattern.compile("\\b(time|clock|date|day)\\b");
    private static final Pattern TIME_ZONE = Pattern.compile("\\b([A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_\\-]+){1,2}|UTC)\\b");
    private static final Pattern STATISTICS_WORDS = Pattern.compile("\\b(count|statistics|stats|how many words)\\b");

    static Plan of(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        Matcher wait = WAIT.matcher(lower);
        if (wait.find()) {
            return new Plan(
                    "wait",
                    JsonNodeFactory.instance.objectNode().put("seconds", Double.parseDouble(wait.group(1))),
                    "You asked me to wait, so I will use the wait tool.");
        }
        if (STATISTICS_WORDS.matcher(lower).find()) {
            int colon = message.indexOf(':');
            String text = colon >= 0 ? message.substring(colon + 1).strip() : message;
            return new Plan(
                    "text_statistics",
                    JsonNodeFactory.instance.objectNode().put("text", text),
                    "This asks for counting, so I will use the text_statistics tool.");
        }
        String expression = arithmeticIn(message);
        if (expression != null) {
            return new Plan(
                    "calculator",
                    JsonNodeFactory.instance.objectNode().put("expression", expression),
                    "This contains arithmetic (" + expression + "), so I will use the calculator.");
        }
        if (TIME_WORDS.matcher(lower).find()) {
            ObjectNode parameters = JsonNodeFactory.instance.objectNode();
            Matcher zone = TIME_ZONE.matcher(message);
            if (zone.find()) {
                parameters.put("time_zone", zone.group(1));
            }
            return new Plan("clock", parameters, "This asks about the time, so I will read the clock.");
        }
        return new Plan(null, null, "No tool fits this message, so I will answer directly.");
    }

    /** The longest stretch of the message that is an arithmetic expression, or {@code null}. */
    static String arithmeticIn(String message) {
        String best = null;
        Matcher run = ARITHMETIC_RUN.matcher(message);
        while (run.find()) {
            String candidate = run.group().strip();
            if (HAS_OPERATION.matcher(candidate).find() && (best == null || candidate.length() > best.length())) {
                best = candidate;
            }
        }
        return best;
    }
}
