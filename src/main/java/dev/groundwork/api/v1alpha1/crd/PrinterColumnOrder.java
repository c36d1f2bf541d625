package dev.groundwork.api.v1alpha1.crd;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts the printer columns of each generated CRD in the order `kubectl get` shows them (the Fabric8 generator
 * sorts them by JSON path and has no way to say otherwise), and gives the PlatformStandard schema its defaults.
 * Run by the build: quarkus.operator-sdk.crd.post-processor.
 */
public class PrinterColumnOrder implements CRDPostProcessor {
    static final List<String> ORDER = List.of("Team", "Tier", "Mode", "Ready", "In-Sync", "Drifts", "Age", "Revision");
    static final List<String> STANDARD_ORDER = List.of("Revision", "Rollout", "Wave", "Updated", "Ready", "Age", "Preview");

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition) {
            boolean standard = definition.getSpec().getNames().getKind().equals("PlatformStandard");
            List<String> order = standard ? STANDARD_ORDER : ORDER;
            for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
                if (version.getAdditionalPrinterColumns() != null) {
                    List<CustomResourceColumnDefinition> columns = new ArrayList<>(version.getAdditionalPrinterColumns());
                    columns.sort(Comparator.comparingInt(c -> position(order, c.getName())));
                    version.setAdditionalPrinterColumns(columns);
                }
                if (standard) {
                    StandardDefaults.apply(version.getSchema().getOpenAPIV3Schema());
                }
            }
        }
        return crd;
    }

    private static int position(List<String> order, String column) {
        int index = order.indexOf(column);
        if (index < 0) {
            throw new IllegalStateException("printer column " + column + " has no place in " + order);
        }
        return index;
    }
}
