package dev.groundwork.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One product of the company: its namespaces get the platform baseline of the standard.
 * The name is the product id used in every namespace name and label.
 */
@Group(ProductPlatform.GROUP)
@Version(ProductPlatform.VERSION)
@ShortNames("pp")
@Categories("groundwork")
@AdditionalPrinterColumn(name = "Team", jsonPath = ".spec.team", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Tier", jsonPath = ".spec.tier", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.mode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "In-Sync", jsonPath = ".status.conditions[?(@.type==\"InSync\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Drifts", jsonPath = ".status.drift.detectedTotal",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.standardRevision", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@ValidationRule(value = "size(self.metadata.name) <= 40 && self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
        message = "metadata.name is the product id: a DNS-1123 label of at most 40 characters (lower-case letters, digits, '-')")
// With the name at most 40 characters and an environment at most 15, a derived namespace name
// "<product>-<environment>" is at most 56 characters: always a valid namespace name, no rule needed.
@ValidationRule(value = "!(self.metadata.name == 'kube' || self.metadata.name.startsWith('kube-')) "
        + "|| self.spec.environments.all(e, has(e.__namespace__))",
        message = "a product named 'kube' or 'kube-*' would derive namespaces starting with 'kube-': "
                + "give every environment an explicit namespace", fieldPath = ".spec.environments")
public class ProductPlatform extends CustomResource<ProductPlatformSpec, ProductPlatformStatus> {
    public static final String GROUP = "groundwork.dev";
    public static final String VERSION = "v1alpha1";

    /** Annotation that lets deletion remove namespaces that still hold PersistentVolumeClaims. */
    public static final String ALLOW_DATA_LOSS_ANNOTATION = "groundwork.dev/allow-data-loss";

    @Override
    protected ProductPlatformStatus initStatus() {
        return null;
    }

    public boolean allowsDataLoss() {
        return "true".equals(getMetadata().getAnnotations() == null ? null
                : getMetadata().getAnnotations().get(ALLOW_DATA_LOSS_ANNOTATION));
    }
}
