package dev.groundwork.node;

import java.nio.file.Path;

/** The pinned binaries (hack/build-tools.sh, hack/build-node-tools.sh). */
final class Tools {
    private Tools() {
    }

    static Path bin(String name) {
        String bin = System.getenv("GROUNDWORK_TOOLS_BIN");
        if (bin == null || bin.isBlank()) {
            String cache = System.getenv().getOrDefault("GROUNDWORK_TOOLS_CACHE",
                    System.getProperty("user.home") + "/.cache/groundwork-tools");
            bin = cache + "/bin";
        }
        return Path.of(bin, name);
    }
}
