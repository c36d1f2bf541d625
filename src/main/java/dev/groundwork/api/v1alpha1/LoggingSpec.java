package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoggingSpec(
        @JsonPropertyDescription("Mode for the logging area; overrides spec.mode.")
        Mode mode,

        @Min(1)
        @Max(3650)
        @JsonPropertyDescription("Days logs are kept, from 1 to the tier ceiling. Default: the tier default.")
        Integer retentionDays,

        @Pattern(Validation.DNS_LABEL)
        @Size(max = 63)
        @JsonPropertyDescription("Name of a log sink the standard defines. Default: default.")
        String sink) {
}
