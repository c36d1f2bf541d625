package dev.groundwork.preview;

import dev.groundwork.api.v1alpha1.ObjectChange;
import dev.groundwork.api.v1alpha1.ObjectChangeKind;
import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.PreviewSummary;
import dev.groundwork.api.v1alpha1.ProductPreview;
import dev.groundwork.api.v1alpha1.Severity;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PreviewSummariesTest {
    private static ProductPreview preview(String revision, List<ObjectChange> changes, List<PreviewFinding> findings) {
        return Previews.of(revision, "old", changes, findings, null);
    }

    private static ObjectChange updated(String object) {
        return new ObjectChange(object, "namespaces", ObjectChangeKind.Updated, null);
    }

    private static PreviewFinding pod(String namespace, String pod) {
        return new PreviewFinding("podSecurity", Severity.Blocking, namespace, "Pod " + namespace + "/" + pod,
                "Pod " + pod + " would violate Pod Security level restricted:v1.35: runAsNonRoot != true.", "dry run", "t");
    }

    @Test
    void sumsThePreviewsOfTheTargetAndNamesTheBlockedProducts() {
        Map<String, ProductPreview> previews = new HashMap<>();
        previews.put("b", preview("new", List.of(updated("Namespace b-prod")), List.of(pod("b-prod", "web"))));
        previews.put("a", preview("new", List.of(updated("Namespace a-prod")), List.of(pod("a-prod", "db"),
                new PreviewFinding("network", Severity.Warning, "a-prod", "a-prod -> any destination", "m", "e", "t"))));
        previews.put("c", preview("new", List.of(updated("Namespace c-prod")), List.of()));
        previews.put("d", preview("new", List.of(), List.of()));
        previews.put("older", preview("old-target", List.of(updated("Namespace o-prod")), List.of(pod("o-prod", "x"))));
        previews.put("none", null);

        PreviewSummary summary = PreviewSummaries.of("new", previews);

        assertThat(summary.previewed()).isEqualTo(4);
        assertThat(summary.changing()).isEqualTo(3);
        assertThat(summary.summary()).isEqualTo("3 of 4 changing, 2 blocked");
        assertThat(summary.objects()).containsExactly(new PreviewSummary.KindChanges("Namespace", 0, 3, 0));
        assertThat(summary.byArea()).containsExactly(new PreviewSummary.AreaCount("network", Severity.Warning, 1),
                new PreviewSummary.AreaCount("podSecurity", Severity.Blocking, 2));
        assertThat(summary.blockedProducts()).extracting(PreviewSummary.BlockedProduct::product).containsExactly("a", "b");
        assertThat(summary.blockedProducts().get(0).findings()).containsExactly(
                "Pod a-prod/db: Pod db would violate Pod Security level restricted:v1.35: runAsNonRoot != true.");
    }

    @Test
    void noPreviewOfTheTargetIsNoSummary() {
        assertThat(PreviewSummaries.of("new", Map.of("a", preview("other", List.of(), List.of())))).isNull();
    }
}
