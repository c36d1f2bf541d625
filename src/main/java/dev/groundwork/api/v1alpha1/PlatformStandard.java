package dev.groundwork.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The platform team's standard: one per cluster, named {@code default}. Changing it changes every product's
 * baseline, with no operator restart; each valid revision is kept as a ControllerRevision.
 */
@Group(ProductPlatform.GROUP)
@Version(ProductPlatform.VERSION)
@ShortNames("pstd")
@Categories("groundwork")
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.revision", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Rollout", jsonPath = ".status.rollout.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Wave", jsonPath = ".status.rollout.wave", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Updated", jsonPath = ".status.rollout.updated", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyProducts", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Preview", jsonPath = ".status.preview.summary", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "self.metadata.name == 'default'",
        message = "the standard is one object per cluster, named default")
public class PlatformStandard extends CustomResource<PlatformStandardSpec, PlatformStandardStatus> {
    public static final String NAME = "default";

    @Override
    protected PlatformStandardStatus initStatus() {
        return null;
    }

    @Override
    protected PlatformStandardSpec initSpec() {
        return null;
    }
}
