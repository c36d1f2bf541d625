package dev.groundwork.cluster;

/**
 * Reconciles the products that declared a peer when groundwork itself creates the peer's namespace. The informer
 * does this for namespaces others create, change or release, but skips the event of the operator's own write
 * (the write's result is put into the cache at once), so that one is announced here.
 */
final class PeerEvents extends ProductEvents {
    PeerEvents() {
        super("peer-namespaces");
    }
}
