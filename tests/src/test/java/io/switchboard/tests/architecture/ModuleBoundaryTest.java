package io.switchboard.tests.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.tests.MissionCritical;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compile-time layer of the single-manager rule (docs/websocket/ssot_principles.md, layer 1): javac itself refuses
 * a consumer module that reaches into core's internals or implements the sealed manager, from a
 * plain consumer module and from the app module's own set-up alike.
 */
@MissionCritical
class ModuleBoundaryTest {
    private static final String CORE = "io.switchboard.websocket.core";
    private static final String APP = "io.switchboard.app";

    /** The app's compile class path, written by the build (maven-dependency-plugin). */
    private static List<Path> modulePath() throws IOException {
        String file = System.getProperty("switchboard.module.path.file", "target/module-path.txt");
        return Arrays.stream(Files.readString(Path.of(file)).strip().split(File.pathSeparator))
                .map(Path::of)
                .toList();
    }

    /** The modules that the app module requires, read from its compiled descriptor. */
    private static List<String> appRequires() throws IOException {
        ModuleReference app = modulePath().stream()
                .filter(p -> p.toString().contains("app"))
                .flatMap(p -> ModuleFinder.of(p).find(APP).stream())
                .findFirst()
                .orElseThrow(() -> new AssertionError("the app module is not on the test class path"));
        return app.descriptor().requires().stream()
                .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.MANDATED))
                .map(ModuleDescriptor.Requires::name)
                .sorted()
                .toList();
    }

    private static FixtureCompiler.Result compileAsModule(String fixture, List<String> requires) throws IOException {
        Path sources = Files.createTempDirectory("jpms-" + fixture + "-");
        Path original = FixtureCompiler.fixturesDir().resolve("jpms").resolve(fixture);
        for (Path source : FixtureCompiler.sourcesIn(original)) {
            Path copy = sources.resolve(original.relativize(source));
            Files.createDirectories(copy.getParent());
            Files.copy(source, copy);
        }
        Files.writeString(
                sources.resolve("module-info.java"),
                "module io.switchboard.fixture {\n"
                        + requires.stream()
                                .map(r -> "    requires " + r + ";\n")
                                .collect(Collectors.joining()) + "}\n");
        String modulePath = modulePath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        return FixtureCompiler.javac(
                List.of("--module-path", modulePath),
                FixtureCompiler.sourcesIn(sources),
                Files.createTempDirectory("jpms-out-"));
    }

    private static List<String> requiresFor(String setup) throws IOException {
        return setup.equals("app") ? appRequires() : new ArrayList<>(List.of(CORE));
    }

    @ParameterizedTest(name = "{0} from the {1} set-up")
    @CsvSource({
        "internal-import, consumer, package io.switchboard.websocket.core.internal is not visible",
        "internal-import, app, package io.switchboard.websocket.core.internal is not visible",
        "second-implementation, consumer, class is not allowed to extend sealed class: WebSocketManager",
        "second-implementation, app, class is not allowed to extend sealed class: WebSocketManager"
    })
    void javacRefusesAViolatingModule(String fixture, String setup, String refusal) throws IOException {
        FixtureCompiler.Result result = compileAsModule(fixture, requiresFor(setup));
        assertFalse(result.success(), "javac accepted " + fixture);
        assertTrue(result.diagnostics().contains(refusal), result.diagnostics());
    }

    @ParameterizedTest(name = "a compliant module compiles from the {0} set-up")
    @CsvSource({"consumer", "app"})
    void aCompliantModuleCompiles(String setup) throws IOException {
        FixtureCompiler.Result result = compileAsModule("compliant", requiresFor(setup));
        assertTrue(result.success(), result.diagnostics());
    }
}
