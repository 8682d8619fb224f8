package io.switchboard.tests.docs;

import java.nio.file.Path;

/** Where the repository's documentation is: the build passes it in. */
final class Docs {
    private Docs() {
    }

    /** The {@code docs} folder, absolute. */
    static Path root() {
        return Path.of(System.getProperty("switchboard.docs.dir", "../docs")).toAbsolutePath().normalize();
    }

    /** The repository's top folder (README.md, the modules). */
    static Path repository() {
        return root().getParent();
    }
}
