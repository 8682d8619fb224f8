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

    /**
     * Every text file of the repository that a person or a build reads: sources, build files,
     * scripts, configuration, pages and docs; not build output, fixtures or benchmark results.
     */
    static List<Path> textFiles() throws IOException {
        Path repository = repository();
        try (Stream<Path> files = Files.walk(repository)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> {
                        String path = repository.relativize(f).toString().replace('\\', '/');
                        return !path.contains("target/")
                                && !path.startsWith(".git/")
                                && !path.contains("node_modules/")
                                && !path.contains("/src/test/fixtures/")
                                && !path.startsWith("bench/results/")
                                && path.matches(
                                        ".*\\.(java|md|xml|properties|ya?ml|js|mjs|html|css|sh|json)$|.*/run$|mvnw");
                    })
                    .sorted()
                    .toList();
        }
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
