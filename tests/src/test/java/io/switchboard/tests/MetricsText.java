package io.switchboard.tests;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads values out of {@code /q/metrics} (the Prometheus text format). */
final class MetricsText {
    private static final Pattern SAMPLE =
            Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+([-+0-9.eEnNaIif]+)$");

    private MetricsText() {}

    /**
     * The sum of the samples of a metric whose labels contain every given {@code name="value"}
     * pair; {@code NaN} when the metric has no such sample.
     */
    static double sum(String exposition, String metric, String... labels) {
        double sum = 0;
        boolean found = false;
        Matcher sample = SAMPLE.matcher(exposition);
        while (sample.find()) {
            if (!sample.group(1).equals(metric)) {
                continue;
            }
            String labelSet = sample.group(2) == null ? "" : sample.group(2);
            boolean matches = true;
            for (String label : labels) {
                matches &= labelSet.contains(label);
            }
            if (matches) {
                sum += Double.parseDouble(sample.group(3));
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }
}
