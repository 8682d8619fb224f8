package io.switchboard.tests.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles sources at test time with the JDK's compiler, the way the build would. */
final class FixtureCompiler {
    private FixtureCompiler() {}

    static Path fixturesDir() {
        return Path.of(System.getProperty("switchboard.fixtures.dir", "src/test/fixtures"));
    }

    /** The result of one javac run. */
    record Result(boolean success, String diagnostics, Path output) {}

    static Result javac(List<String> options, List<Path> sources, Path output) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> arguments = new ArrayList<>(options);
        arguments.addAll(List.of("-d", output.toString(), "-proc:none", "-Xlint:-options", "--release", "17"));
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean success = compiler.getTask(
                            diagnostics, files, null, arguments, null, files.getJavaFileObjectsFromPaths(sources))
                    .call();
            return new Result(success, diagnostics.toString(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> sourcesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compiles the fixture {@code name} on the test class path and answers the folder of its
     * classes; its {@code stubs/} are compiled first, ahead on the class path, and left out.
     */
    static Path compileFixture(String name) throws IOException {
        Path fixture = fixturesDir().resolve(name);
        String classPath = System.getProperty("java.class.path");
        List<Path> stubs = sourcesIn(fixture.resolve("stubs"));
        if (!stubs.isEmpty()) {
            Path stubClasses = Files.createTempDirectory("fixture-stubs-");
            Result stubResult = javac(List.of("-classpath", classPath), stubs, stubClasses);
            assertTrue(stubResult.success(), stubResult.diagnostics());
            classPath = stubClasses + File.pathSeparator + classPath;
        }
        Result result = javac(
                List.of("-classpath", classPath),
                sourcesIn(fixture.resolve("src")),
                Files.createTempDirectory("fixture-" + name + "-"));
        assertTrue(result.success(), "fixture " + name + " does not compile:\n" + result.diagnostics());
        return result.output();
    }
}
