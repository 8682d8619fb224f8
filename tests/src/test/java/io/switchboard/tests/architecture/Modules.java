package io.switchboard.tests.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Switchboard's Maven modules: which packages each owns, and which modules it may depend on (docs/websocket/architecture.md). */
final class Modules {
    static final String API = "websocket-api";
    static final String CORE = "websocket-core";
    static final String TOOLS = "tool-engine";
    static final String AGENT = "agent-integration";
    static final String NOTIFICATIONS = "notifications";
    static final String ADMIN = "admin";
    static final String APP = "app";

    /** Module name to its root package, in dependency order. */
    static final Map<String, String> ROOT_PACKAGES = new LinkedHashMap<>();
    /** Module name to the modules it may depend on. */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        ROOT_PACKAGES.put(API, "io.switchboard.websocket.api");
        ROOT_PACKAGES.put(CORE, "io.switchboard.websocket.core");
        ROOT_PACKAGES.put(TOOLS, "io.switchboard.tools");
        ROOT_PACKAGES.put(AGENT, "io.switchboard.agent");
        ROOT_PACKAGES.put(NOTIFICATIONS, "io.switchboard.notifications");
        ROOT_PACKAGES.put(ADMIN, "io.switchboard.admin");
        ROOT_PACKAGES.put(APP, "io.switchboard.app");
        ALLOWED.put(API, Set.of());
        ALLOWED.put(CORE, Set.of(API));
        ALLOWED.put(TOOLS, Set.of(API));
        ALLOWED.put(AGENT, Set.of(API, CORE, TOOLS));
        ALLOWED.put(NOTIFICATIONS, Set.of(API, CORE));
        ALLOWED.put(ADMIN, Set.of(API, CORE));
        ALLOWED.put(APP, Set.of(API, CORE, TOOLS, AGENT, NOTIFICATIONS, ADMIN));
    }

    /** The package of core that other modules may use; everything else of core is internal. */
    static final String CORE_EXPORTED = "io.switchboard.websocket.core";

    /** The modules that use core: every module but the API and core itself. */
    static final List<String> CONSUMERS = List.of(AGENT, NOTIFICATIONS, ADMIN, APP);

    private Modules() {}

    static Optional<String> of(String packageName) {
        for (Map.Entry<String, String> module : ROOT_PACKAGES.entrySet()) {
            String root = module.getValue();
            if (packageName.equals(root) || packageName.startsWith(root + ".")) {
                return Optional.of(module.getKey());
            }
        }
        return Optional.empty();
    }

    static Optional<String> of(JavaClass type) {
        return of(type.getPackageName());
    }

    /** The packages of a module, as an ArchUnit package pattern. */
    static String packages(String module) {
        return ROOT_PACKAGES.get(module) + "..";
    }
}
