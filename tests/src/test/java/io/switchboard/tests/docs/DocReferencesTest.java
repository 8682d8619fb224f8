package io.switchboard.tests.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The documentation names only types, methods, configuration keys, modules and files that exist. */
class DocReferencesTest {
    /** "From [path](link):", a blank line, then a fenced block: an excerpt of that file, verbatim. */
    private static final Pattern QUOTE = Pattern.compile(
            "(?m)^From \\[[^\\]]+\\]\\(([^)#]+)\\):\\s*\\n\\s*```\\w*\\n(.*?)^```", Pattern.DOTALL | Pattern.MULTILINE);

    private static DocReferences known;

    @BeforeAll
    static void collect() throws IOException {
        known = DocReferences.of(Docs.repository());
    }

    @Test
    void everyNameInTheDocsExists() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : Docs.markdownFiles()) {
            problems.addAll(known.check(file, Files.readString(file)));
        }
        assertEquals(
                List.of(), problems, "the docs name things the code does not have:\n" + String.join("\n", problems));
    }

    @Test
    void nothingInTheRepositoryPointsOutsideIt() throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> files = Docs.textFiles();
        for (Path file : files) {
            problems.addAll(known.checkBoundaries(file, Files.readString(file)));
        }
        assertTrue(files.size() > 100, "the check reads the whole repository; it read " + files.size() + " files");
        assertEquals(List.of(), problems, "these leave the repository:\n" + String.join("\n", problems));
    }

    @Test
    void theBoundaryCheckFindsPathsAndDocumentsOutsideTheRepository() throws IOException {
        String text = Files.readString(fixture("leaves-repository.txt"));
        List<String> problems = known.checkBoundaries(Docs.repository().resolve("tests/pom.xml"), text);
        assertEquals(4, problems.size(), String.join("\n", problems));
        assertTrue(
                problems.get(0).matches(".*pom.xml:1: \\.\\./\\.\\./outside/spec/CONTRACT\\.md leaves the repository"));
        assertTrue(problems.get(1).contains("pom.xml:3: ../../idp/public.pem leaves the repository"));
        assertTrue(problems.get(2)
                .matches(".*pom.xml:1: CONTRACT\\.md is cited, but the repository has no such document"));
        assertTrue(
                problems.get(3).matches(".*pom.xml:1: NOTES\\.md is cited, but the repository has no such document"));
    }

    /** A text of deliberate mistakes (tests/src/test/fixtures/docs), which the checks over the repository skip. */
    private static Path fixture(String name) {
        return Path.of(System.getProperty("switchboard.fixtures.dir", "src/test/fixtures"), "docs", name);
    }

    @Test
    void everyQuotedExcerptIsStillInTheFileItQuotes() throws IOException {
        List<String> problems = new ArrayList<>();
        int quotes = 0;
        for (Path file : Docs.markdownFiles()) {
            Matcher quote = QUOTE.matcher(Files.readString(file));
            while (quote.find()) {
                quotes++;
                Path source = file.getParent().resolve(quote.group(1)).normalize();
                if (!Files.exists(source) || !Files.readString(source).contains(quote.group(2))) {
                    problems.add(Docs.repository().relativize(file) + " quotes " + quote.group(1)
                            + " but that file no longer contains:\n" + quote.group(2));
                }
            }
        }
        assertTrue(quotes >= 5, "the developer guide quotes the worked example; found " + quotes + " quotes");
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void theReadmeLinksEveryDocumentOfTheWebSocketLayerAndTheAudit() throws IOException {
        String readme = Files.readString(Docs.repository().resolve("README.md"));
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.list(Docs.root().resolve("websocket"))) {
            files.map(f -> "docs/websocket/" + f.getFileName())
                    .filter(link -> !readme.contains("(" + link + ")"))
                    .forEach(missing::add);
        }
        if (!readme.contains("(docs/websocket_audit_results.md)")) {
            missing.add("docs/websocket_audit_results.md");
        }
        assertEquals(List.of(), missing, "README.md does not link these");
    }

    @Test
    void whatTheDocsAreCheckedAgainstComesFromTheCompiledCode() {
        assertTrue(
                known.compiledTypes()
                        .containsAll(List.of(
                                "WebSocketManager",
                                "UserWebSocketManager",
                                "NotificationService",
                                "ToolExecutor",
                                "ChatPageTest")),
                "compiled classes of every module and the tests");
        assertTrue(
                known.modules()
                        .containsAll(List.of(
                                "io.switchboard.websocket.core",
                                "io.switchboard.app",
                                "websocket-core",
                                "tests",
                                "bench")),
                "JPMS modules from module-info.class, Maven modules from the pom");
        assertEquals(
                "25S",
                known.configKeys().get("switchboard.websocket.heartbeat-interval"),
                "from the mapping's @WithDefault");
        assertEquals("assistant", known.configKeys().get("switchboard.agent.name"));
    }

    @Test
    void theCheckFindsWhatDoesNotExist() throws IOException {
        String markdown = Files.readString(fixture("broken-references.md"));
        List<String> problems = known.check(Docs.root().resolve("websocket/broken-references.md"), markdown);
        assertEquals(8, problems.size(), String.join("\n", problems));
        assertTrue(
                problems.get(0)
                        .contains(":6: `SecondWebSocketManager` names a type that is not among the compiled classes"),
                problems.get(0));
        assertTrue(problems.get(1).contains("names a method broadcastEverywhere that WebSocketManager does not have"));
        assertTrue(problems.get(2)
                .contains("`switchboard.websocket.turbo-mode` is neither a configuration key nor a metric"));
        assertTrue(problems.get(3).contains("`websocket-legacy` is called a module, but the build has no such module"));
        assertTrue(problems.get(4).contains("documented with default `12` but the code's default is `10`"));
        assertTrue(problems.get(5).matches(".*:7: the link no-such-file\\.md leads to no file"));
        assertTrue(problems.get(6)
                .matches(".*:9: the link \\.\\./\\.\\./\\.\\./outside/spec/CONTRACT\\.md leaves the repository"));
        assertTrue(problems.get(7).contains(":9: the link /etc/idp/public.pem is an absolute path"));
    }
}
