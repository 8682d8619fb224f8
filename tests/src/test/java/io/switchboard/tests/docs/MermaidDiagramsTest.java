package io.switchboard.tests.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.tests.Browser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Mermaid block of the docs is parsed by Mermaid itself (the webjar on the test class path), in
 * the headless Chromium of the browser tests: a diagram GitHub would fail to render fails the build.
 */
class MermaidDiagramsTest {
    private static final String MERMAID = "META-INF/resources/webjars/mermaid/11.6.0/dist/mermaid.min.js";
    private static final Pattern BLOCK = Pattern.compile("(?ms)^```mermaid\\s*\\n(.*?)^```");
    private static final String PARSE = "const done = arguments[arguments.length - 1];"
            + "mermaid.parse(arguments[0]).then(() => done('ok'), e => done(String(e && e.message || e)));";

    private static Browser browser;

    @BeforeAll
    static void loadMermaid() throws IOException {
        browser = Browser.open();
        browser.get(URI.create("about:blank"));
        try (InputStream script = MermaidDiagramsTest.class.getClassLoader().getResourceAsStream(MERMAID)) {
            assertTrue(script != null, MERMAID + " is on the test class path");
            // as a script element, so that it runs in the page's global scope like a <script> tag
            browser.script(
                    "const s = document.createElement('script'); s.textContent = arguments[0];"
                            + "document.head.appendChild(s);",
                    new String(script.readAllBytes(), StandardCharsets.UTF_8));
        }
        browser.script("mermaid.initialize({startOnLoad: false});");
    }

    @AfterAll
    static void close() throws IOException {
        browser.close();
    }

    @Test
    void everyDiagramInTheDocsParses() throws IOException {
        List<String> problems = new ArrayList<>();
        int diagrams = 0;
        for (Path file : Docs.markdownFiles()) {
            Matcher block = BLOCK.matcher(Files.readString(file));
            while (block.find()) {
                diagrams++;
                String result = parse(block.group(1));
                if (!result.equals("ok")) {
                    problems.add(Docs.repository().relativize(file) + ", diagram " + diagrams + ": " + result);
                }
            }
        }
        assertTrue(diagrams >= 4, "the architecture record has its diagrams; found " + diagrams);
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void aBrokenDiagramIsReported() {
        assertEquals("ok", parse("flowchart LR\n  a[\"agent\"] --> b[\"manager\"]\n"));
        String broken = parse("flowchart LR\n  a[\"agent\" --> b(manager]]\n");
        assertFalse(broken.equals("ok"), "a broken diagram must not parse");
        assertTrue(broken.contains("Parse error"), broken);
    }

    private static String parse(String diagram) {
        return browser.scriptAsync(PARSE, diagram);
    }
}
