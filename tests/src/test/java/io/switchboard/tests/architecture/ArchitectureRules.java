package io.switchboard.tests.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.JavaWildcardType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The test-time layer of the single-manager rule (docs/websocket/ssot_principles.md, layer 3). Each rule's
 * description says what it guards; a violation names the class and the rule.
 */
final class ArchitectureRules {
    static final String MANAGER = "io.switchboard.websocket.core.WebSocketManager";
    static final String MANAGER_IMPLEMENTATION = "io.switchboard.websocket.core.internal.UserWebSocketManager";
    /** Packages of Vert.x, Netty and Quarkus that carry no compatibility promise. */
    static final String[] FRAMEWORK_INTERNALS = {
        "io.vertx..impl..",
        "io.vertx..internal..",
        "io.netty..internal..",
        "io.quarkus..impl..",
        "io.quarkus..internal.."
    };

    private static final String CORE_PACKAGES = Modules.packages(Modules.CORE);
    private static final Set<String> VERTX_WEBSOCKET_TYPES = Set.of(
            "io.vertx.core.http.ServerWebSocket",
            "io.vertx.core.http.WebSocket",
            "io.vertx.core.http.WebSocketBase",
            "io.vertx.core.http.WebSocketClient",
            "io.vertx.mutiny.core.http.ServerWebSocket",
            "io.vertx.mutiny.core.http.WebSocket");

    /** A type of a WebSocket library: a connection, a connector, an endpoint annotation. */
    static final DescribedPredicate<JavaClass> WEBSOCKET_TYPES =
            new DescribedPredicate<>("WebSocket connection types (websockets-next, Vert.x, Jakarta WebSocket)") {
                @Override
                public boolean test(JavaClass type) {
                    String name = type.getName();
                    String pkg = type.getPackageName();
                    return pkg.equals("io.quarkus.websockets.next")
                            || pkg.startsWith("io.quarkus.websockets.next.")
                            || pkg.startsWith("jakarta.websocket")
                            || pkg.startsWith("javax.websocket")
                            || VERTX_WEBSOCKET_TYPES.contains(name);
                }
            };

    private ArchitectureRules() {}

    /** Every rule, by a short name used in the audit. */
    static Map<String, ArchRule> all() {
        Map<String, ArchRule> rules = new LinkedHashMap<>();
        rules.put("one-implementation", oneManagerImplementation());
        rules.put("only-core-touches-sockets", onlyCoreTouchesSockets());
        rules.put("core-internals-stay-internal", coreInternalsStayInternal());
        rules.put("modules-depend-one-way", modulesDependOneWay());
        rules.put("modules-free-of-cycles", modulesFreeOfCycles());
        rules.put("no-connection-registries-outside-core", noConnectionRegistriesOutsideCore());
        rules.put("no-managers-by-name-outside-core", noManagersByNameOutsideCore());
        rules.put("no-framework-internals", noFrameworkInternals());
        return rules;
    }

    static ArchRule oneManagerImplementation() {
        return classes()
                .that()
                .implement(MANAGER)
                .should()
                .haveFullyQualifiedName(MANAGER_IMPLEMENTATION)
                .andShould()
                .haveModifier(JavaModifier.FINAL)
                .as("WebSocketManager has exactly one implementation, the final " + MANAGER_IMPLEMENTATION);
    }

    static ArchRule onlyCoreTouchesSockets() {
        return noClasses()
                .that()
                .resideOutsideOfPackage(CORE_PACKAGES)
                .should()
                .dependOnClassesThat(WEBSOCKET_TYPES)
                .as("only websocket-core touches WebSocket connections (no OpenConnections, WebSocketConnection,"
                        + " connectors or raw Vert.x sockets elsewhere)");
    }

    static ArchRule coreInternalsStayInternal() {
        return noClasses()
                .that()
                .resideOutsideOfPackage(CORE_PACKAGES)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(Modules.CORE_EXPORTED + ".internal..")
                .as("outside websocket-core, code uses only its exported package " + Modules.CORE_EXPORTED);
    }

    static ArchRule modulesDependOneWay() {
        Architectures.LayeredArchitecture layers =
                Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String module : Modules.ROOT_PACKAGES.keySet()) {
            layers = layers.layer(module).definedBy(Modules.packages(module));
        }
        for (String module : Modules.ROOT_PACKAGES.keySet()) {
            List<String> users = Modules.ALLOWED.entrySet().stream()
                    .filter(e -> e.getValue().contains(module))
                    .map(Map.Entry::getKey)
                    .toList();
            layers = users.isEmpty()
                    ? layers.whereLayer(module).mayNotBeAccessedByAnyLayer()
                    : layers.whereLayer(module).mayOnlyBeAccessedByLayers(users.toArray(String[]::new));
        }
        return layers.as("module dependencies point one way: consumers -> websocket-core -> websocket-api");
    }

    static ArchRule modulesFreeOfCycles() {
        SliceAssignment byModule = new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass type) {
                return Modules.of(type).map(SliceIdentifier::of).orElse(SliceIdentifier.ignore());
            }

            @Override
            public String getDescription() {
                return "Switchboard modules";
            }
        };
        return SlicesRuleDefinition.slices()
                .assignedFrom(byModule)
                .should()
                .beFreeOfCycles()
                .as("there are no dependency cycles between modules");
    }

    static ArchRule noConnectionRegistriesOutsideCore() {
        return fields().that()
                .areDeclaredInClassesThat()
                .resideOutsideOfPackage(CORE_PACKAGES)
                .should(new ArchCondition<>("not keep a collection of connections, sessions or managers") {
                    @Override
                    public void check(JavaField field, ConditionEvents events) {
                        if (holdsConnections(field.getType(), false)) {
                            events.add(SimpleConditionEvent.violated(
                                    field,
                                    field.getFullName() + " of type "
                                            + field.getType().getName() + " keeps its own collection of connections"));
                        }
                    }
                })
                .as("no class outside websocket-core keeps its own map or collection of connections, sessions or"
                        + " managers");
    }

    private static boolean holdsConnections(JavaType type, boolean inCollection) {
        if (type instanceof JavaParameterizedType parameterized) {
            boolean collection = isCollection(parameterized.toErasure());
            for (JavaType argument : parameterized.getActualTypeArguments()) {
                if (holdsConnections(argument, inCollection || collection)) {
                    return true;
                }
            }
            return false;
        }
        if (type instanceof JavaWildcardType wildcard) {
            return wildcard.getUpperBounds().stream().anyMatch(bound -> holdsConnections(bound, inCollection));
        }
        JavaClass erased = type.toErasure();
        if (erased.isArray()) {
            return holdsConnections(erased.getComponentType(), true);
        }
        return inCollection
                && (WEBSOCKET_TYPES.test(erased)
                        || erased.getName().equals(MANAGER)
                        || erased.getName().endsWith("Session"));
    }

    private static boolean isCollection(JavaClass type) {
        return type.isAssignableTo(Collection.class)
                || type.isAssignableTo(Map.class)
                || type.isAssignableTo(Optional.class)
                || type.isAssignableTo(Iterable.class);
    }

    static ArchRule noFrameworkInternals() {
        return noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(FRAMEWORK_INTERNALS)
                .as("no code uses the internal packages of Vert.x, Netty or Quarkus (impl, internal): only their"
                        + " supported API");
    }

    static ArchRule noManagersByNameOutsideCore() {
        return noClasses()
                .that()
                .resideOutsideOfPackage(CORE_PACKAGES)
                .should()
                .haveNameMatching(".*(Socket|Connection|Session)(Manager|Registry|Hub|Broadcaster)")
                .as("no class outside websocket-core is named like a WebSocket manager");
    }
}
