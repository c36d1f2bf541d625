package dev.groundwork.preview;

import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's own verdict on a namespace's new Pod Security enforce level: a server-side dry run of the
 * namespace update answers with {@code Warning} headers (RFC 7234, code 299), one saying that existing pods violate
 * the level and one per pod (pods with the same reasons share one: "web-1 (and 2 other pods): ..."). Each pod warning
 * becomes a blocking finding with the reasons as the server gave them.
 */
public final class PodSecurityWarnings {
    private static final Pattern HEADER = Pattern.compile("^\\s*\\d{3}\\s+\\S+\\s+\"(.*)\"(\\s+\".*\")?\\s*$");
    private static final Pattern POD = Pattern.compile("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)( \\(and (\\d+) other pods?\\))?: (.+)$");
    private static final String SUMMARY = "violate the new PodSecurity enforce level";
    /** Marks the answer of a dry run that was refused or failed, followed by why. */
    public static final String UNCHECKED = "dry run failed: ";

    private PodSecurityWarnings() {
    }

    /** The text of a Warning header value, unquoted. */
    public static String text(String header) {
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            return header.strip();
        }
        return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    /**
     * @param warnings the texts of the dry run's warnings, in the order the server sent them
     * @param level    the enforce level the namespace would get, e.g. restricted:v1.33
     */
    public static List<PreviewFinding> findings(String namespace, String level, List<String> warnings, String checkedAt) {
        List<PreviewFinding> findings = new ArrayList<>();
        warnings.stream().filter(w -> w.startsWith(UNCHECKED)).findFirst().ifPresent(failed -> findings.add(
                new PreviewFinding("podSecurity", Severity.Blocking, namespace, "Namespace " + namespace,
                        "Pod Security level " + level + " could not be checked against the pods in " + namespace
                                + ": the API server's dry run " + failed.substring("dry run ".length()) + ".",
                        "API server dry run of the namespace update", checkedAt)));
        String summary = warnings.stream().filter(w -> w.contains(SUMMARY)).findFirst().orElse(null);
        if (summary == null) {
            return findings;
        }
        for (String warning : warnings) {
            Matcher m = POD.matcher(warning);
            if (warning.equals(summary) || !m.matches()) {
                continue;
            }
            String others = m.group(4) == null ? "" : " and " + m.group(4) + " other pod" + ("1".equals(m.group(4)) ? "" : "s")
                    + " with the same violations";
            findings.add(new PreviewFinding("podSecurity", Severity.Blocking, namespace,
                    "Pod " + namespace + "/" + m.group(1) + others,
                    "Pod " + m.group(1) + others + " would violate Pod Security level " + level + ": " + m.group(5) + ".",
                    "API server dry run of the namespace update: " + summary + "; " + warning, checkedAt));
        }
        return findings;
    }
}
