package io.switchboard.tests.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the repository's documentation is: the build passes it in. */
final class Docs {
    private Docs() {}

    /** The {@code docs} folder, absolute. */
    static Path root() {
        return Path.of(System.getProperty("switchboard.docs.dir", "../docs"))
                .toAbsolutePath()
                .normalize();
    }

    /** The repository's top folder (README.md, the modules). */
    static Path repository() {
        return root().getParent();
    }

    /** README.md and every Markdown file under docs, in a stable order. */
    static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(repository().resolve("README.md")));
        try (Stream<Path> docs = Files.walk(root())) {
            docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }
}
