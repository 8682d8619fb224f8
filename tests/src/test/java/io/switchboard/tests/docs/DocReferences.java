package io.switchboard.tests.docs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the documentation may name, collected from the repository, and the check of one Markdown file
 * against it: every inline code span that looks like a Java type (optionally with a method), a
 * configuration key or a module must name one that exists; documented defaults must be the code's;
 * relative links must lead to a file. Fenced blocks are not read (except by the Mermaid check).
 */
final class DocReferences {
    private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern TYPE_SPAN = Pattern.compile(
            "((?:io\\.switchboard\\.[a-z.]+\\.)?[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)(?:\\.([a-z]\\w*)\\((?:\\.\\.\\.)?\\))?");
    private static final Pattern CONFIG_SPAN =
            Pattern.compile("((?:switchboard|quarkus|mp)\\.[a-z0-9.-]*[a-z0-9])(\\.\\*)?");
    private static final Pattern MODULE_SPAN = Pattern.compile("[a-z]+(?:[-.][a-z]+)*");
    private static final Pattern DECLARATION = Pattern.compile("\\b(?:class|interface|record|enum)\\s+([A-Z]\\w*)");
    private static final Pattern JS_EXPORT =
            Pattern.compile("\\bexport\\s+(?:class|function|const|let)\\s+([A-Za-z_]\\w*)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern KEY_LITERAL = Pattern.compile("\"((?:quarkus|mp)\\.[a-z0-9.-]+)\"");
    private static final Pattern NAME_LITERAL = Pattern.compile("\"(switchboard\\.[a-z0-9._-]+)\"");
    private static final Pattern PROPERTY_LINE = Pattern.compile("(?m)^(?:%[\\w-]+\\.)?([a-z][\\w.-]*)\\s*=");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    /** A relative path that climbs, such as {@code ../x} or {@code ../../y/z}. */
    private static final Pattern CLIMBING_PATH =
            Pattern.compile("(?<![\\w.$])(?<![^}]/)((?:\\.\\./)+[\\w.-]+(?:/[\\w.-]+)*)");
    /** A document named by its file name, such as {@code protocol.md}, alone or at the end of a path. */
    private static final Pattern CITED_DOCUMENT = Pattern.compile("(?<![\\w.-])([A-Za-z][\\w-]*\\.md)\\b");

    private static final Pattern DEFAULT_ROW =
            Pattern.compile("(?m)^\\|\\s*`(switchboard\\.[a-z0-9.-]+)`\\s*\\|\\s*`([^`]+)`\\s*\\|");

    private final Path repository;
    /** Simple type name -> the binary names of the compiled classes that have it. */
    private final Map<String, List<String>> types = new HashMap<>();

    private final Set<String> qualifiedTypes = new HashSet<>();
    /**
     * Simple type name -> source files declaring it, for the classes this class path cannot hold: the
     * bench module (built after the tests) and the unit tests of the other modules.
     */
    private final Map<String, List<Path>> declaredInSources = new HashMap<>();

    private final Set<String> packages = new HashSet<>();
    private final Set<String> scriptExports = new HashSet<>();
    /** Configuration key -> its documented default in the code, or "" when it has none. */
    private final Map<String, String> configKeys = new HashMap<>();

    private final Set<String> modules = new HashSet<>();
    /** The file names of the repository's Markdown documents. */
    private final Set<String> documents = new HashSet<>();
    /** Other names of the application that start like a key: metrics, health checks. */
    private final Set<String> otherNames = new HashSet<>();

    private DocReferences(Path repository) {
        this.repository = repository;
    }

    /**
     * Everything the repository declares: the compiled classes, modules and configuration mappings on
     * the test class path (every module's main classes and the tests' own), and from the sources the
     * names only they hold: configuration keys and metric names in string literals, the browser
     * client's exports, properties files and the build's modules.
     */
    static DocReferences of(Path repository) throws IOException {
        DocReferences known = new DocReferences(repository);
        known.readCompiledClasses();
        try (Stream<Path> files = Files.walk(repository)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String path = repository.relativize(file).toString().replace('\\', '/');
                boolean built = path.contains("/target/") || path.startsWith(".") || path.contains("node_modules");
                if (path.endsWith(".md") && !built) {
                    known.documents.add(file.getFileName().toString()); // fixtures included: they exist
                }
                if (path.contains("/target/")
                        || path.startsWith(".")
                        || path.contains("/src/test/fixtures/")
                        || path.contains("node_modules")) {
                    continue;
                }
                if (path.endsWith(".java") && path.contains("/src/")) {
                    known.readJava(file, Files.readString(file));
                } else if (path.endsWith(".js") && path.contains("/src/main/resources/")) {
                    Matcher export = JS_EXPORT.matcher(Files.readString(file));
                    while (export.find()) {
                        known.scriptExports.add(export.group(1));
                    }
                } else if (path.endsWith(".properties") && path.contains("/src/main/resources/")) {
                    Matcher key = PROPERTY_LINE.matcher(Files.readString(file));
                    while (key.find()) {
                        known.configKeys.putIfAbsent(key.group(1), "");
                    }
                } else if (path.equals("pom.xml")) {
                    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(file));
                    while (module.find()) {
                        known.modules.add(module.group(1));
                    }
                }
            }
        }
        return known;
    }

    private void readJava(Path file, String source) {
        Matcher declaration = DECLARATION.matcher(source.replaceAll("(?s)/\\*.*?\\*/|//[^\\n]*", ""));
        while (declaration.find()) {
            declaredInSources
                    .computeIfAbsent(declaration.group(1), n -> new ArrayList<>())
                    .add(file);
        }
        Matcher property = CONFIG_PROPERTY.matcher(source);
        while (property.find()) {
            configKeys.putIfAbsent(property.group(1), "");
        }
        Matcher literal = KEY_LITERAL.matcher(source);
        while (literal.find()) {
            configKeys.putIfAbsent(literal.group(1), "");
        }
        Matcher nameLiteral = NAME_LITERAL.matcher(source);
        while (nameLiteral.find()) {
            otherNames.add(nameLiteral.group(1));
        }
    }

    /** Every class under io/switchboard on the class path, directories and jars alike. */
    private void readCompiledClasses() throws IOException {
        ClassLoader loader = DocReferences.class.getClassLoader();
        List<String> classNames = new ArrayList<>();
        for (URL root : Collections.list(loader.getResources("io/switchboard"))) {
            if (root.getProtocol().equals("file")) {
                Path base = Path.of(URI.create(root.toString())).getParent().getParent();
                try (Stream<Path> files = Files.walk(base.resolve("io/switchboard"))) {
                    files.map(f -> base.relativize(f).toString().replace('\\', '/'))
                            .forEach(classNames::add);
                }
            } else if (root.getProtocol().equals("jar")) {
                String jar = root.getPath()
                        .substring("file:".length(), root.getPath().indexOf("!/"));
                try (JarFile file = new JarFile(URLDecoder.decode(jar, StandardCharsets.UTF_8))) {
                    file.stream()
                            .map(JarEntry::getName)
                            .filter(n -> n.startsWith("io/switchboard/"))
                            .forEach(classNames::add);
                }
            }
        }
        for (URL descriptor : Collections.list(loader.getResources("module-info.class"))) {
            try (InputStream in = descriptor.openStream()) {
                String module = ModuleDescriptor.read(in).name();
                if (module.startsWith("io.switchboard")) {
                    modules.add(module);
                }
            }
        }
        for (String entry : classNames) {
            if (!entry.endsWith(".class") || entry.endsWith("module-info.class") || entry.matches(".*\\$\\d.*")) {
                continue;
            }
            String binary =
                    entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
            String qualified = binary.replace('$', '.');
            String simple = qualified.substring(qualified.lastIndexOf('.') + 1);
            types.computeIfAbsent(simple, n -> new ArrayList<>()).add(binary);
            qualifiedTypes.add(qualified);
            packages.add(binary.substring(0, binary.lastIndexOf('.')));
            try {
                Class<?> type = Class.forName(binary, false, loader);
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    addMapping(mapping.prefix(), type);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // a class whose optional dependencies are not here cannot be a configuration mapping we use
            }
        }
    }

    /** The keys of a {@code @ConfigMapping} interface, from its methods (groups are nested interfaces). */
    private void addMapping(String prefix, Class<?> mapping) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (method.getParameterCount() != 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            WithName named = method.getAnnotation(WithName.class);
            String key = prefix + "." + (named != null ? named.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getDeclaringClass() == mapping) {
                addMapping(key, type);
            } else {
                WithDefault fallback = method.getAnnotation(WithDefault.class);
                configKeys.put(key, fallback == null ? "" : fallback.value());
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** What is wrong in one Markdown text, each problem with its line. */
    List<String> check(Path absoluteFile, String markdown) {
        Path file = relative(absoluteFile);
        List<String> problems = new ArrayList<>();
        String prose = blankFences(markdown);
        Matcher span = CODE_SPAN.matcher(prose);
        while (span.find()) {
            String text = span.group(1).strip();
            String problem = checkSpan(text, prose, span.start(), span.end());
            if (problem != null) {
                problems.add(file + ":" + line(prose, span.start()) + ": `" + text + "` " + problem);
            }
        }
        Matcher row = DEFAULT_ROW.matcher(prose);
        while (row.find()) {
            String documented = row.group(2);
            String actual = configKeys.get(row.group(1));
            if (actual != null && !actual.isEmpty() && !documented.equals(actual)) {
                problems.add(
                        file + ":" + line(prose, row.start()) + ": `" + row.group(1) + "` is documented with default `"
                                + documented + "` but the code's default is `" + actual + "`");
            }
        }
        Matcher link = LINK.matcher(prose);
        while (link.find()) {
            String target = link.group(1);
            if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                continue;
            }
            if (target.startsWith("/")) {
                problems.add(file + ":" + line(prose, link.start()) + ": the link " + target
                        + " is an absolute path; link inside the repository, relatively");
                continue;
            }
            Path resolved = resolve(absoluteFile, target.replaceAll("#.*$", ""));
            if (!insideRepository(resolved)) {
                problems.add(
                        file + ":" + line(prose, link.start()) + ": the link " + target + " leaves the repository");
            } else if (!Files.exists(resolved)) {
                problems.add(file + ":" + line(prose, link.start()) + ": the link " + target + " leads to no file");
            }
        }
        return problems;
    }

    /**
     * What in any text file of the repository (code, comments, build files, scripts, docs) points out
     * of it: a relative path that climbs above the repository from the file's folder, or a Markdown
     * document cited by name that the repository does not have.
     */
    List<String> checkBoundaries(Path absoluteFile, String text) {
        Path file = relative(absoluteFile);
        List<String> problems = new ArrayList<>();
        Matcher climbing = CLIMBING_PATH.matcher(text);
        while (climbing.find()) {
            if (!insideRepository(resolve(absoluteFile, climbing.group(1)))) {
                problems.add(file + ":" + line(text, climbing.start()) + ": " + climbing.group(1)
                        + " leaves the repository");
            }
        }
        Matcher cited = CITED_DOCUMENT.matcher(text);
        while (cited.find()) {
            if (!documents.contains(cited.group(1))) {
                problems.add(file + ":" + line(text, cited.start()) + ": " + cited.group(1)
                        + " is cited, but the repository has no such document");
            }
        }
        return problems;
    }

    /** The file's path from the repository's top folder, for problem lines. */
    private Path relative(Path absoluteFile) {
        return repository
                .toAbsolutePath()
                .normalize()
                .relativize(absoluteFile.toAbsolutePath().normalize());
    }

    private static Path resolve(Path fromFile, String relative) {
        return fromFile.toAbsolutePath()
                .normalize()
                .getParent()
                .resolve(relative)
                .normalize();
    }

    private boolean insideRepository(Path path) {
        return path.startsWith(repository.toAbsolutePath().normalize());
    }

    private String checkSpan(String text, String prose, int start, int end) {
        Matcher type = TYPE_SPAN.matcher(text);
        if (type.matches() && !scriptExports.contains(type.group(1))) {
            String name = type.group(1);
            List<String> compiled = name.contains(".")
                    ? (qualifiedTypes.contains(name) ? types.get(name.substring(name.lastIndexOf('.') + 1)) : null)
                    : types.get(name);
            if (compiled == null) {
                List<Path> sources = name.contains(".") ? null : declaredInSources.get(name);
                if (sources == null) {
                    return "names a type that is not among the compiled classes";
                }
                if (type.group(2) != null && sources.stream().noneMatch(f -> declares(f, type.group(2)))) {
                    return "names a method " + type.group(2) + " that " + name + " does not have";
                }
                return null;
            }
            if (type.group(2) != null && compiled.stream().noneMatch(c -> hasMethod(c, type.group(2)))) {
                return "names a method " + type.group(2) + " that " + name + " does not have";
            }
            return null;
        }
        Matcher config = CONFIG_SPAN.matcher(text);
        if (config.matches()) {
            String key = config.group(1);
            boolean known = config.group(2) == null
                    ? configKeys.containsKey(key) || otherNames.contains(key)
                    : configKeys.keySet().stream().anyMatch(k -> k.startsWith(key + "."));
            return known ? null : "is neither a configuration key nor a metric of this application";
        }
        if (text.startsWith("io.switchboard.") && text.matches("[a-z.]+")) {
            return packages.contains(text) || modules.contains(text) ? null : "is neither a package nor a module";
        }
        if (MODULE_SPAN.matcher(text).matches() && mentionsModule(prose, start, end) && !modules.contains(text)) {
            return "is called a module, but the build has no such module";
        }
        return null;
    }

    private static boolean mentionsModule(String prose, int start, int end) {
        String before = prose.substring(Math.max(0, start - 12), start).toLowerCase(Locale.ROOT);
        String after = prose.substring(end, Math.min(prose.length(), end + 10)).toLowerCase(Locale.ROOT);
        return before.matches("(?s).*\\bmodules?\\s+$") || after.matches("(?s)^(?:'s)?\\s+modules?\\b.*");
    }

    private static boolean declares(Path source, String method) {
        try {
            return Pattern.compile("\\b" + Pattern.quote(method) + "\\s*\\(")
                    .matcher(Files.readString(source))
                    .find();
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the class, a superclass or an interface of it declares a method of that name. */
    private static boolean hasMethod(String className, String method) {
        try {
            Deque<Class<?>> pending =
                    new ArrayDeque<>(List.of(Class.forName(className, false, DocReferences.class.getClassLoader())));
            while (!pending.isEmpty()) {
                Class<?> type = pending.pop();
                if (Stream.of(type.getDeclaredMethods())
                        .anyMatch(m -> m.getName().equals(method))) {
                    return true;
                }
                if (type.getSuperclass() != null) {
                    pending.push(type.getSuperclass());
                }
                pending.addAll(List.of(type.getInterfaces()));
            }
            return false;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The text with fenced blocks replaced by as many empty lines, so line numbers stay right. */
    static String blankFences(String markdown) {
        Matcher fence = FENCE.matcher(markdown);
        StringBuilder out = new StringBuilder();
        while (fence.find()) {
            fence.appendReplacement(out, Matcher.quoteReplacement(fence.group().replaceAll("[^\\n]", "")));
        }
        fence.appendTail(out);
        return out.toString();
    }

    private static int line(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    Set<String> modules() {
        return modules;
    }

    Set<String> compiledTypes() {
        return types.keySet();
    }

    Map<String, String> configKeys() {
        return configKeys;
    }
}
