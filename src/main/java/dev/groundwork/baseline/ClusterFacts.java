package dev.groundwork.baseline;

import java.util.SortedSet;

/**
 * What the baseline depends on besides the product and the standard, read from informer caches.
 *
 * @param storageClasses   names of the StorageClasses present in the cluster
 * @param flowApiInstalled whether the kube-logging Flow CRD is installed
 * @param peers            the namespaces of the product's declared peers that groundwork manages for them
 */
public record ClusterFacts(SortedSet<String> storageClasses, boolean flowApiInstalled, PeerNamespaces peers) {
}
