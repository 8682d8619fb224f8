package io.switchboard.tests.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
    private static final Pattern CONFIG_SPAN = Pattern.compile("((?:switchboard|quarkus|mp)\\.[a-z0-9.-]*[a-z0-9])(\\.\\*)?");
    private static final Pattern MODULE_SPAN = Pattern.compile("[a-z]+(?:[-.][a-z]+)*");
    private static final Pattern DECLARATION = Pattern.compile("\\b(?:class|interface|record|enum)\\s+([A-Z]\\w*)");
    private static final Pattern JS_EXPORT = Pattern.compile("\\bexport\\s+(?:class|function|const|let)\\s+([A-Za-z_]\\w*)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern KEY_LITERAL = Pattern.compile("\"((?:quarkus|mp)\\.[a-z0-9.-]+)\"");
    private static final Pattern NAME_LITERAL = Pattern.compile("\"(switchboard\\.[a-z0-9._-]+)\"");
    private static final Pattern PROPERTY_LINE = Pattern.compile("(?m)^(?:%[\\w-]+\\.)?([a-z][\\w.-]*)\\s*=");
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern DEFAULT_ROW = Pattern.compile("(?m)^\\|\\s*`(switchboard\\.[a-z0-9.-]+)`\\s*\\|\\s*`([^`]+)`\\s*\\|");

    private final Path repository;
    /** Simple type name -> the source files declaring it (a nested type's file is its outer type's). */
    private final Map<String, List<Path>> types = new HashMap<>();
    private final Set<String> qualifiedTypes = new HashSet<>();
    private final Set<String> packages = new HashSet<>();
    private final Set<String> scriptExports = new HashSet<>();
    /** Configuration key -> its documented default in the code, or "" when it has none. */
    private final Map<String, String> configKeys = new HashMap<>();
    private final Set<String> modules = new HashSet<>();
    /** Other names of the application that start like a key: metrics, health checks. */
    private final Set<String> otherNames = new HashSet<>();

    private DocReferences(Path repository) {
        this.repository = repository;
    }

    /** Everything the repository declares: sources of every module, its scripts, configuration, poms. */
    static DocReferences of(Path repository) throws IOException {
        DocReferences known = new DocReferences(repository);
        try (Stream<Path> files = Files.walk(repository)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String path = repository.relativize(file).toString().replace('\\', '/');
                if (path.contains("/target/") || path.startsWith(".") || path.contains("/src/test/fixtures/")
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
        Matcher packageName = Pattern.compile("(?m)^package\\s+([\\w.]+);").matcher(source);
        String pkg = packageName.find() ? packageName.group(1) : "";
        packages.add(pkg);
        Matcher module = Pattern.compile("(?m)^(?:open\\s+)?module\\s+([\\w.]+)").matcher(source);
        if (file.getFileName().toString().equals("module-info.java") && module.find()) {
            modules.add(module.group(1));
            return;
        }
        Matcher declaration = DECLARATION.matcher(source.replaceAll("(?s)/\\*.*?\\*/|//[^\\n]*", ""));
        while (declaration.find()) {
            types.computeIfAbsent(declaration.group(1), n -> new ArrayList<>()).add(file);
            qualifiedTypes.add(pkg + "." + declaration.group(1));
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
        Matcher mapping = MAPPING.matcher(source);
        if (mapping.find() && !file.toString().contains("/src/test/")) {
            String name = pkg + "." + file.getFileName().toString().replace(".java", "");
            try {
                addMapping(mapping.group(1), Class.forName(name));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the configuration mapping " + name + " is not on the test class path", e);
            }
        }
    }

    /** The keys of a {@code @ConfigMapping} interface, from its methods (groups are nested interfaces). */
    private void addMapping(String prefix, Class<?> mapping) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (method.getParameterCount() != 0 || method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            io.smallrye.config.WithName named = method.getAnnotation(io.smallrye.config.WithName.class);
            String key = prefix + "." + (named != null ? named.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getDeclaringClass() == mapping) {
                addMapping(key, type);
            } else {
                io.smallrye.config.WithDefault fallback = method.getAnnotation(io.smallrye.config.WithDefault.class);
                configKeys.put(key, fallback == null ? "" : fallback.value());
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** What is wrong in one Markdown text, each problem with its line. */
    List<String> check(Path absoluteFile, String markdown) {
        Path file = repository.toAbsolutePath().normalize().relativize(absoluteFile.toAbsolutePath().normalize());
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
                problems.add(file + ":" + line(prose, row.start()) + ": `" + row.group(1) + "` is documented with default `"
                        + documented + "` but the code's default is `" + actual + "`");
            }
        }
        Matcher link = LINK.matcher(prose);
        while (link.find()) {
            String target = link.group(1);
            if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                continue;
            }
            Path resolved = absoluteFile.toAbsolutePath().normalize().getParent().resolve(target.replaceAll("#.*$", "")).normalize();
            if (resolved.startsWith(repository.toAbsolutePath().normalize()) && !Files.exists(resolved)) {
                problems.add(file + ":" + line(prose, link.start()) + ": the link " + target + " leads to no file");
            }
        }
        return problems;
    }

    private String checkSpan(String text, String prose, int start, int end) {
        Matcher type = TYPE_SPAN.matcher(text);
        if (type.matches() && !scriptExports.contains(type.group(1))) {
            String name = type.group(1);
            List<Path> declaredIn = name.contains(".") ? (qualifiedTypes.contains(name)
                    ? types.get(name.substring(name.lastIndexOf('.') + 1)) : null) : types.get(name);
            if (declaredIn == null) {
                return "names a type that no source in the repository declares";
            }
            if (type.group(2) != null && declaredIn.stream().noneMatch(f -> declares(f, type.group(2)))) {
                return "names a method " + type.group(2) + " that " + name + " does not declare";
            }
            return null;
        }
        Matcher config = CONFIG_SPAN.matcher(text);
        if (config.matches()) {
            String key = config.group(1);
            boolean known = config.group(2) == null ? configKeys.containsKey(key) || otherNames.contains(key)
                    : configKeys.keySet().stream().anyMatch(k -> k.startsWith(key + "."));
            return known ? null : "is neither a configuration key nor a metric of this application";
        }
        if (text.startsWith("io.switchboard.") && text.matches("[a-z.]+")) {
            return packages.contains(text) || modules.contains(text) ? null : "is neither a package nor a module";
        }
        if (MODULE_SPAN.matcher(text).matches() && mentionsModule(prose, start, end)
                && !modules.contains(text)) {
            return "is called a module, but the build has no such module";
        }
        return null;
    }

    private static boolean mentionsModule(String prose, int start, int end) {
        String before = prose.substring(Math.max(0, start - 12), start).toLowerCase(Locale.ROOT);
        String after = prose.substring(end, Math.min(prose.length(), end + 10)).toLowerCase(Locale.ROOT);
        return before.matches("(?s).*\\bmodules?\\s+$") || after.matches("(?s)^(?:'s)?\\s+modules?\\b.*");
    }

    private static boolean declares(Path file, String method) {
        try {
            return Pattern.compile("\\b" + Pattern.quote(method) + "\\s*\\(").matcher(Files.readString(file)).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    Map<String, String> configKeys() {
        return configKeys;
    }
}
