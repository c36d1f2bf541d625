package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record PreviewSummary(
        @JsonPropertyDescription("The target revision previewed.")
        String revision,
        @JsonPropertyDescription("In one line, for kubectl get -o wide: products that would change and products blocked.")
        String summary,
        @JsonPropertyDescription("Products whose preview of this revision is in their status.")
        Integer previewed,
        @JsonPropertyDescription("Products whose baseline objects the revision would change.")
        Integer changing,
        @JsonPropertyDescription("Objects the revision would create, update and prune, by kind, over every product.")
        List<KindChanges> objects,
        @JsonPropertyDescription("Products with at least one blocking finding.")
        Integer blocked,
        @JsonPropertyDescription("Products with findings, by area and severity.")
        List<AreaCount> byArea,
        @JsonPropertyDescription("The first 20 products with a blocking finding, by name, and their blocking findings.")
        List<BlockedProduct> blockedProducts) {

    public record KindChanges(
            @JsonPropertyDescription("Kind of the baseline object.") String kind,
            @JsonPropertyDescription("Objects created.") Integer created,
            @JsonPropertyDescription("Objects updated.") Integer updated,
            @JsonPropertyDescription("Objects pruned.") Integer pruned) {
    }

    public record AreaCount(
            @JsonPropertyDescription("podSecurity, storage, network or access.") String area,
            @JsonPropertyDescription("Blocking or Warning.") Severity severity,
            @JsonPropertyDescription("Products with such a finding.") Integer products) {
    }

    public record BlockedProduct(
            @JsonPropertyDescription("The ProductPlatform.") String product,
            @JsonPropertyDescription("Its blocking findings (at most 10): what, where and why.") List<String> findings) {
    }
}
