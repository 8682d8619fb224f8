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
import java.util.concurrent.TimeUnit;

/**
 * The run-time layer of the single-manager rule: at startup, the code must have exactly one
 * manager implementation (the sealed interface's one permitted, final class), exactly one factory
 * bean and no manager bean, or startup fails. While running, a manager kept past its retirement
 * and used as if it were still the user's is a violation for {@link #RETIRED_USE_WINDOW_NANOS}
 * after its last use. Also publishes {@code switchboard.managers.retired.uses} and
 * {@code switchboard.managers}.
 */
@Singleton
final class ComplianceValidator implements WebSocketCompliance {
    static final String EXPECTED_IMPLEMENTATION = UserWebSocketManager.class.getName();
    /** How long a use of a retired manager stays a violation: long enough for every probe to see it. */
    static final long RETIRED_USE_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(10);

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
        Class<?>[] permitted = WebSocketManager.class.getPermittedSubclasses();
        implementations = Arrays.stream(permitted).map(Class::getName).sorted().toList();
        factories = beans.getBeans(WebSocketManagerFactory.class, Any.Literal.INSTANCE)
                .size();
        codeViolations = codeViolations(
                permitted,
                factories,
                beans.getBeans(WebSocketManager.class, Any.Literal.INSTANCE).size());
        if (!codeViolations.isEmpty()) {
            throw new IllegalStateException("the single-manager rule is broken: " + String.join("; ", codeViolations));
        }
        FunctionCounter.builder("switchboard.managers.retired.uses", registry, ManagerRegistry::retiredUses)
                .description("Uses of a manager after the registry had retired it; its work went to the live one")
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
        ManagerRegistry.RetiredUse last = registry.lastRetiredUse();
        long sinceNanos = last == null ? -1 : System.nanoTime() - last.atNanos();
        if (last != null && sinceNanos < RETIRED_USE_WINDOW_NANOS) {
            violations.add("a retired manager of user " + last.userId() + " was used "
                    + TimeUnit.NANOSECONDS.toMillis(sinceNanos) + " ms ago: some code keeps a manager instead of"
                    + " asking WebSocketManagerFactory for it each time");
        }
        return new ComplianceReport(
                implementations,
                factories,
                registry.managerCount(),
                registry.retiredUses(),
                last == null ? null : last.userId(),
                last == null ? -1 : TimeUnit.NANOSECONDS.toMillis(sinceNanos),
                violations);
    }
}
