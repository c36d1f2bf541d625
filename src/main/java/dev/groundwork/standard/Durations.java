package dev.groundwork.standard;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Go and kubectl write them (30s, 10m, 1h30m, 500ms); admission checks the form, so an absent one is zero. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Durations() {
    }

    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            return Duration.ZERO;
        }
        Matcher part = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find()) {
            if (part.start() != end) {
                break;
            }
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
            end = part.end();
        }
        if (end != text.length()) {
            throw new IllegalArgumentException("not a duration: " + text + " (write it as 30s, 10m or 1h30m)");
        }
        return total;
    }
}
