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
 * Puts the printer columns of the generated CRD in the order `kubectl get pp` shows them (the Fabric8 generator
 * sorts them by JSON path and has no way to say otherwise). Run by the build: quarkus.operator-sdk.crd.post-processor.
 */
public class PrinterColumnOrder implements CRDPostProcessor {
    static final List<String> ORDER = List.of("Team", "Tier", "Mode", "Ready", "In-Sync", "Drifts", "Age", "Revision");

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition) {
            for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
                if (version.getAdditionalPrinterColumns() != null) {
                    List<CustomResourceColumnDefinition> columns = new ArrayList<>(version.getAdditionalPrinterColumns());
                    columns.sort(Comparator.comparingInt(c -> position(c.getName())));
                    version.setAdditionalPrinterColumns(columns);
                }
            }
        }
        return crd;
    }

    private static int position(String column) {
        int index = ORDER.indexOf(column);
        if (index < 0) {
            throw new IllegalStateException("printer column " + column + " has no place in " + ORDER);
        }
        return index;
    }
}
