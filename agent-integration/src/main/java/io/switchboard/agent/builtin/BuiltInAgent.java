package io.switchboard.agent.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.agent.Agent;
import io.switchboard.agent.AgentSettings;
import io.switchboard.agent.RunContext;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * {@code assistant}: a deterministic agent that thinks in a few visible steps, calls a tool when the
 * message calls for one (arithmetic, the time, counting words, waiting) and answers.
 */
@Singleton
public final class BuiltInAgent implements Agent {
    public static final String NAME = "assistant";
    static final String HELP = "I can do arithmetic (\"what is 12 * (3 + 4)?\"), tell the time (\"what time is it"
            + " in Asia/Tokyo?\"), count words (\"count the words in: ...\") and wait (\"wait 3 seconds\").";

    private final Duration stepDelay;

    @Inject
    public BuiltInAgent(AgentSettings settings) {
        this(settings.stepDelay());
    }

    BuiltInAgent(Duration stepDelay) {
        this.stepDelay = stepDelay;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(RunContext run) throws InterruptedException {
        int words = run.message().strip().split("\\s+").length;
        run.think("Reading your message (" + words + (words == 1 ? " word)." : " words)."));
        pause();
        Plan plan = Plan.of(run.message());
        run.think(plan.reasoning());
        if (plan.tool() == null) {
            pause();
            return HELP;
        }
        pause();
        ToolCompleted result = run.callTool(plan.tool(), plan.parameters());
        run.think("Writing the answer.");
        pause();
        return answer(result);
    }

    private void pause() throws InterruptedException {
        if (!stepDelay.isZero()) {
            Thread.sleep(stepDelay.toMillis());
        }
    }

    static String answer(ToolCompleted result) {
        if (result.status() == ToolStatus.TIMEOUT) {
            return "The " + result.toolName() + " tool took too long (" + result.error() + ").";
        }
        if (result.status() == ToolStatus.ERROR) {
            return "The " + result.toolName() + " tool could not do it: " + result.error() + ".";
        }
        JsonNode r = result.results();
        switch (result.toolName()) {
            case "calculator":
                return r.path("expression").asText() + " = " + r.path("value").asText();
            case "clock":
                return "It is " + r.path("local_time").asText() + " ("
                        + r.path("day_of_week").asText() + ") in "
                        + r.path("time_zone").asText() + ".";
            case "text_statistics":
                return "That text has " + r.path("words").asInt() + " words, "
                        + r.path("sentences").asInt() + " sentences and "
                        + r.path("characters").asInt() + " characters.";
            case "wait":
                return "I waited " + r.path("waited_ms").asLong() + " ms.";
            default:
                return r.toString();
        }
    }
}
