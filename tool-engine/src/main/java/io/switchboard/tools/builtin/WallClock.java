package io.switchboard.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.tools.Tool;
import io.switchboard.tools.ToolException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** {@code clock}: the current date and time in a time zone (UTC unless told). */
@Singleton
public final class WallClock implements Tool {
    public static final String NAME = "clock";
    private static final ObjectNode PARAMETERS = Tool.parameterSchema("""
            {"type": "object",
            "properties": {"time_zone": {"type": "string", "description": "An IANA time zone such as Europe/Paris; UTC when left out"}},
            "additionalProperties": false}
            """);

    private final Clock clock;

    @Inject
    public WallClock() {
        this(Clock.systemUTC());
    }

    WallClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Tells the current date and time; optional parameter 'time_zone', an IANA zone such as Europe/Paris.";
    }

    @Override
    public ObjectNode parameterSchema() {
        return PARAMETERS.deepCopy();
    }

    @Override
    public JsonNode execute(ObjectNode parameters) throws ToolException {
        String zoneName = Parameters.optionalText(parameters, "time_zone", 64);
        ZoneId zone;
        try {
            zone = zoneName == null ? ZoneId.of("UTC") : ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            throw new ToolException("'" + zoneName + "' is not a known time zone");
        }
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(zone).truncatedTo(ChronoUnit.SECONDS);
        return JsonNodeFactory.instance
                .objectNode()
                .put("time_zone", zone.getId())
                .put("local_time", now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("day_of_week", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    }
}
