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
    void theCheckFindsWhatDoesNotExist() {
        String markdown = String.join(
                "\n",
                "Get it from `WebSocketManagerFactory` and call `WebSocketManager.emit(...)`; set",
                "`switchboard.websocket.heartbeat-interval` and `switchboard.websocket.rate-limit.*`.",
                "```java",
                "SecondWebSocketManager inside a fence is not read: `SecondWebSocketManager`",
                "```",
                "Ask `SecondWebSocketManager` or `WebSocketManager.broadcastEverywhere()`; set",
                "`switchboard.websocket.turbo-mode`, read the `websocket-legacy` module and [this](no-such-file.md).",
                "| `switchboard.websocket.max-connections-per-user` | `12` | wrong default |",
                "");
        List<String> problems = known.check(Docs.root().resolve("websocket/example.md"), markdown);
        assertEquals(6, problems.size(), String.join("\n", problems));
        assertTrue(
                problems.get(0)
                        .contains(":6: `SecondWebSocketManager` names a type that is not among the compiled classes"),
                problems.get(0));
        assertTrue(problems.get(1).contains("names a method broadcastEverywhere that WebSocketManager does not have"));
        assertTrue(problems.get(2)
                .contains("`switchboard.websocket.turbo-mode` is neither a configuration key nor a metric"));
        assertTrue(problems.get(3).contains("`websocket-legacy` is called a module, but the build has no such module"));
        assertTrue(problems.get(4).contains("documented with default `12` but the code's default is `10`"));
        assertTrue(problems.get(5).contains(":7: the link no-such-file.md leads to no file"));
    }
}
