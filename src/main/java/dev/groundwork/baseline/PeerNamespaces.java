package dev.groundwork.baseline;

import java.util.Map;
import java.util.Optional;

/**
 * The namespaces groundwork itself created or adopted for each declared peer product, by environment. A
 * NetworkPolicy names a peer by these names, not by labels alone: labels are writable by anyone who may label
 * namespaces, names are immutable, so a namespace someone else labelled as the peer's is never selected.
 *
 * @param byPeer peer product name to (environment name to namespace name); a peer or environment that is absent
 *               has no namespace yet and gets no rule until it has one
 */
public record PeerNamespaces(Map<String, Map<String, String>> byPeer) {
    public static final PeerNamespaces NONE = new PeerNamespaces(Map.of());

    public Optional<String> namespaceOf(String peer, String environment) {
        return Optional.ofNullable(byPeer.getOrDefault(peer, Map.of()).get(environment));
    }
}
