package io.switchboard.tests.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Writes {@code docs/websocket_audit_results.md} from the compiled classes; deterministic for the same code. */
final class AuditDocument {
    static final String COMMAND = "./mvnw -B verify -pl tests -am -Dtest=AuditDocumentTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dswitchboard.audit.write=true";

    private AuditDocument() {}

    static String render(JavaClasses classes, Set<String> coreExports) {
        StringBuilder doc = new StringBuilder();
        Map<String, ArchRule> rules = ArchitectureRules.all();
        Map<String, EvaluationResult> results = new LinkedHashMap<>();
        rules.forEach((name, rule) -> results.put(name, rule.evaluate(classes)));
        long passed = results.values().stream().filter(r -> !r.hasViolation()).count()
                + (coreExports.equals(Set.of(Modules.CORE_EXPORTED)) ? 1 : 0);
        long total = results.size() + 1L;

        doc.append("# WebSocket single-manager audit\n\n")
                .append("Generated from the compiled classes by the command below; do not edit by hand. ")
                .append("The build fails when this file no longer matches the code.\n\n")
                .append("```sh\n")
                .append(COMMAND)
                .append("\n```\n\n")
                .append("## Compliance score\n\n")
                .append("**")
                .append(passed)
                .append(" of ")
                .append(total)
                .append(" checks pass (")
                .append(Math.round(100.0 * passed / total))
                .append(" %).**\n\n");

        doc.append("## Manager implementations\n\n| class | module | package |\n|---|---|---|\n");
        classes.stream()
                .filter(c -> c.getAllRawInterfaces().stream()
                        .anyMatch(i -> i.getName().equals(ArchitectureRules.MANAGER)))
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .forEach(c -> doc.append("| `")
                        .append(c.getName())
                        .append("` | ")
                        .append(Modules.of(c).orElse("?"))
                        .append(" | `")
                        .append(c.getPackageName())
                        .append("` |\n"));

        doc.append("\n## What websocket-core exports\n\n");
        coreExports.stream().sorted().forEach(p -> doc.append("- `").append(p).append("`\n"));

        doc.append("\n## Consumer modules and the core types they use\n\n| module | core types used |\n|---|---|\n");
        SortedMap<String, SortedSet<String>> edges = new TreeMap<>();
        SortedMap<String, SortedSet<String>> coreTypes = new TreeMap<>();
        for (JavaClass type : classes) {
            Optional<String> from = Modules.of(type);
            if (from.isEmpty()) {
                continue;
            }
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass().getBaseComponentType();
                Optional<String> to = Modules.of(target);
                if (to.isEmpty() || to.equals(from)) {
                    continue;
                }
                edges.computeIfAbsent(from.get(), k -> new TreeSet<>()).add(to.get());
                if (to.get().equals(Modules.CORE)) {
                    coreTypes
                            .computeIfAbsent(from.get(), k -> new TreeSet<>())
                            .add(target.getName().substring(Modules.CORE_EXPORTED.length() + 1));
                }
            }
        }
        for (String consumer : Modules.CONSUMERS) {
            SortedSet<String> used = coreTypes.getOrDefault(consumer, new TreeSet<>());
            doc.append("| ")
                    .append(consumer)
                    .append(" | ")
                    .append(used.isEmpty() ? "(none directly)" : "`" + String.join("`, `", used) + "`")
                    .append(" |\n");
        }

        doc.append("\n## Module dependencies (from the classes)\n\n```mermaid\ngraph LR\n");
        edges.forEach((from, targets) -> targets.forEach(to -> doc.append("    ")
                .append(node(from))
                .append(" --> ")
                .append(node(to))
                .append('\n')));
        doc.append("```\n");

        doc.append("\n## Rules\n\n| rule | result | violations |\n|---|---|---|\n");
        results.forEach((name, result) -> doc.append("| ")
                .append(rules.get(name).getDescription())
                .append(" | ")
                .append(result.hasViolation() ? "FAIL" : "pass")
                .append(" | ")
                .append(result.getFailureReport().getDetails().size())
                .append(" |\n"));
        doc.append("| websocket-core's module-info exports exactly `")
                .append(Modules.CORE_EXPORTED)
                .append("` | ")
                .append(coreExports.equals(Set.of(Modules.CORE_EXPORTED)) ? "pass" : "FAIL")
                .append(" | ")
                .append(coreExports.equals(Set.of(Modules.CORE_EXPORTED)) ? 0 : coreExports.size())
                .append(" |\n");
        return doc.toString();
    }

    private static String node(String module) {
        return module.replace("-", "_") + "[" + module + "]";
    }
}
