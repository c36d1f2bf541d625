package dev.groundwork.product;

import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.ProductPreview;
import dev.groundwork.api.v1alpha1.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The preview's findings as OpenReports results of the namespace they concern. */
class OpenReportsPreviewTest {
    private static final ProductPreview PREVIEW = new ProductPreview("new", "old", 0, 1, 0, 1, null, List.of(
            new PreviewFinding("podSecurity", Severity.Blocking, "shop-prod", "Pod shop-prod/web", "Pod web would violate.",
                    "API server dry run", "2026-12-06T10:00:00Z"),
            new PreviewFinding("network", Severity.Warning, "shop-prod", "shop-prod -> any destination", "Egress lost.",
                    "NetworkPolicies", "2026-12-06T10:00:00Z"),
            new PreviewFinding("access", Severity.Warning, "shop-dev", "Group oidc:shop", "Narrower.", "RoleBinding",
                    "2026-12-06T10:00:00Z")));

    @Test
    void eachFindingOfTheNamespaceIsAResultFailWhenBlockingWarnOtherwise() {
        List<Map<String, Object>> results = OpenReports.previewResults(PREVIEW, "shop-prod");

        assertThat(results).extracting(r -> r.get("policy"), r -> r.get("rule"), r -> r.get("result"), r -> r.get("severity"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("preview/podSecurity", "Pod shop-prod/web", "fail", "high"),
                        org.assertj.core.groups.Tuple.tuple("preview/network", "shop-prod -> any destination", "warn", "medium"));
        assertThat(results.get(0).get("properties")).isEqualTo(Map.of("revision", "new", "fromRevision", "old",
                "evidence", "API server dry run", "checkedAt", "2026-12-06T10:00:00Z"));
        assertThat(OpenReports.previewResults(null, "shop-prod")).isEmpty();
    }
}
