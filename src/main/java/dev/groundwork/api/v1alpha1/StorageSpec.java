package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.maxTotal) || (isQuantity(self.maxTotal) && quantity(self.maxTotal).isGreaterThan(quantity('0')))",
        message = "maxTotal must be a positive quantity such as 200Gi", fieldPath = ".maxTotal")
@ValidationRule(value = "!has(self.maxClaimSize) || (isQuantity(self.maxClaimSize) && quantity(self.maxClaimSize).isGreaterThan(quantity('0')))",
        message = "maxClaimSize must be a positive quantity such as 50Gi", fieldPath = ".maxClaimSize")
@ValidationRule(value = "!has(self.classes) || self.classes.all(c, self.classes.exists_one(d, d == c))",
        message = "classes must be unique", fieldPath = ".classes")
@ValidationRule(value = "!has(self.maxClaimSize) || !has(self.maxTotal) || !isQuantity(self.maxClaimSize) || !isQuantity(self.maxTotal) || "
        + "quantity(self.maxClaimSize).compareTo(quantity(self.maxTotal)) <= 0",
        message = "maxClaimSize must not exceed maxTotal", fieldPath = ".maxClaimSize")
public record StorageSpec(
        @JsonPropertyDescription("Mode for the storage area; overrides spec.mode.")
        Mode mode,

        @Size(max = 32)
        @JsonPropertyDescription("Total storage all claims of one environment namespace may request, e.g. 200Gi. "
                + "Must not exceed the tier ceiling. Default: the tier default.")
        String maxTotal,

        @Min(0)
        @Max(10000)
        @JsonPropertyDescription("Number of PersistentVolumeClaims one environment namespace may hold. Default: the tier default.")
        Integer maxClaims,

        @Size(max = 32)
        @JsonPropertyDescription("Largest single PersistentVolumeClaim, e.g. 50Gi; must not exceed maxTotal. Default: the tier default.")
        String maxClaimSize,

        @Size(max = 20)
        @JsonPropertyDescription("StorageClasses the product may use, a subset of the standard's allowed classes. "
                + "Default: the standard's default classes.")
        List<@Pattern(Validation.DNS_SUBDOMAIN) @Size(max = 253) String> classes) {
}
