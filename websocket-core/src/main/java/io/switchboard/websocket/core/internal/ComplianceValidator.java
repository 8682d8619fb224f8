package io.switchboard.websocket.core.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.websocket.core.ComplianceReport;
import io.switchboard.websocket.core.WebSocketCompliance;
import io.switchboard.websocket.core.WebSocketManager;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The run-time layer of the single-manager rule: at startup, the code must have exactly one
 * manager implementation (the sealed interface's one permitted, final class), exactly one factory
 * bean and no manager bean, or startup fails; while running, the registry must never hold two
 * managers for one user. Also publishes {@code switchboard.ssot.violations} (second managers that
 * were refused) and {@code switchboard.managers}.
 */
@Singleton
final class ComplianceValidator implements WebSocketCompliance {
    static final String EXPECTED_IMPLEMENTATION = UserWebSocketManager.class.getName();

    private final ManagerRegistry registry;
    private final BeanManager beans;
    private final MeterRegistry meters;
    private List<String> implementations = List.of();
    private int factories;
    private List<String> codeViolations = List.of();

    @Inject
    ComplianceValidator(ManagerRegistry registry, BeanManager beans, MeterRegistry meters) {
        this.registry = registry;
        this.beans = beans;
        this.meters = meters;
    }

    void onStart(@Observes StartupEvent event) {
        implementations = Arrays.stream(WebSocketManager.class.getPermittedSubclasses())
                .map(Class::getName)
                .sorted()
                .toList();
        factories = beans.getBeans(WebSocketManagerFactory.class, Any.Literal.INSTANCE)
                .size();
        codeViolations = codeViolations(
                WebSocketManager.class.getPermittedSubclasses(),
                factories,
                beans.getBeans(WebSocketManager.class, Any.Literal.INSTANCE).size());
        if (!codeViolations.isEmpty()) {
            throw new IllegalStateException("the single-manager rule is broken: " + String.join("; ", codeViolations));
        }
        FunctionCounter.builder("switchboard.ssot.violations", registry, ManagerRegistry::refusedDuplicates)
                .description("Second live managers for a user that the registry refused")
                .register(meters);
        Gauge.builder("switchboard.managers", registry, ManagerRegistry::managerCount)
                .description("Live WebSocket managers, one per recently active user")
                .register(meters);
    }

    static List<String> codeViolations(Class<?>[] implementations, int factories, int managerBeans) {
        List<String> violations = new ArrayList<>();
        if (implementations.length != 1 || !implementations[0].getName().equals(EXPECTED_IMPLEMENTATION)) {
            violations.add(
                    "WebSocketManager must have exactly one implementation, " + EXPECTED_IMPLEMENTATION + ", but has "
                            + Arrays.stream(implementations).map(Class::getName).toList());
        } else if (!Modifier.isFinal(implementations[0].getModifiers())) {
            violations.add(EXPECTED_IMPLEMENTATION + " must be final");
        }
        if (factories != 1) {
            violations.add("there must be exactly one WebSocketManagerFactory bean, but there are " + factories);
        }
        if (managerBeans != 0) {
            violations.add("managers come only from WebSocketManagerFactory, but " + managerBeans
                    + " CDI bean(s) of type WebSocketManager exist");
        }
        return violations;
    }

    @Override
    public ComplianceReport report() {
        List<String> violations = new ArrayList<>(codeViolations);
        int maxPerUser = registry.maxManagersPerUser();
        if (maxPerUser > 1) {
            violations.add("a user has " + maxPerUser + " live managers");
        }
        return new ComplianceReport(
                implementations,
                factories,
                registry.managerCount(),
                maxPerUser,
                registry.refusedDuplicates(),
                violations);
    }
}
