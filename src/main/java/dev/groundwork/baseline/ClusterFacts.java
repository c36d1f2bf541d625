package dev.groundwork.baseline;

import java.util.Set;
import java.util.SortedSet;

/**
 * What the baseline depends on besides the product and the standard, read from informer caches.
 *
 * @param storageClasses   names of the StorageClasses present in the cluster
 * @param flowApiInstalled whether the kube-logging Flow CRD is installed
 * @param products         names of the ProductPlatforms that exist (peers may be declared before they exist)
 */
public record ClusterFacts(SortedSet<String> storageClasses, boolean flowApiInstalled, Set<String> products) {
}
