package dev.groundwork.node;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the tier's one node before the first class that uses it ({@link Node#shared()}); a node that does not start
 * fails the class (never a skip). Teardown: {@link TeardownNodeIT} last, and a JVM shutdown hook in any case.
 */
public final class NodeExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        Node.shared();
    }
}
