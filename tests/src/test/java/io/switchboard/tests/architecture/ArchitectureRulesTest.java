package io.switchboard.tests.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import io.switchboard.tests.MissionCritical;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@MissionCritical
class ArchitectureRulesTest {

    static Stream<Arguments> rules() {
        return ArchitectureRules.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void theRealCodeFollowsEveryRule(String name, ArchRule rule) {
        rule.check(SwitchboardClasses.real());
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of(
                        "one-implementation",
                        "second-implementation",
                        "io.switchboard.notifications.RogueWebSocketManager"),
                Arguments.of(
                        "only-core-touches-sockets",
                        "raw-connection-sender",
                        "io.switchboard.notifications.NotificationSocketManager"),
                Arguments.of("only-core-touches-sockets", "connection-map", "io.switchboard.agent.SessionBook"),
                Arguments.of("core-internals-stay-internal", "internal-import", "io.switchboard.admin.RegistryPeek"),
                Arguments.of(
                        "modules-depend-one-way",
                        "back-dependency",
                        "io.switchboard.websocket.core.internal.AgentShortcut"),
                Arguments.of("modules-depend-one-way", "module-cycle", "io.switchboard.notifications.AdminEcho"),
                Arguments.of("modules-free-of-cycles", "module-cycle", "io.switchboard.notifications.AdminEcho"),
                Arguments.of(
                        "modules-free-of-cycles",
                        "back-dependency",
                        "io.switchboard.websocket.core.internal.AgentShortcut"),
                Arguments.of(
                        "no-connection-registries-outside-core",
                        "connection-map",
                        "io.switchboard.agent.SessionBook.socketsByUser"),
                Arguments.of(
                        "no-managers-by-name-outside-core",
                        "raw-connection-sender",
                        "io.switchboard.notifications.NotificationSocketManager"),
                Arguments.of(
                        "no-framework-internals",
                        "framework-internals",
                        "io.switchboard.websocket.core.internal.ChannelShortcut"));
    }

    @ParameterizedTest(name = "{0} fails on {1}")
    @MethodSource("fixtures")
    void eachRuleFailsOnItsFixtureNamingTheClassAndTheRule(String ruleName, String fixture, String offender)
            throws Exception {
        ArchRule rule = ArchitectureRules.all().get(ruleName);
        Path compiled = FixtureCompiler.compileFixture(fixture);
        JavaClasses classes = SwitchboardClasses.realWith(compiled);
        AssertionError failure = assertThrows(AssertionError.class, () -> rule.check(classes));
        String message = failure.getMessage();
        assertTrue(message.contains(rule.getDescription()), "the message names the rule:\n" + message);
        assertTrue(message.contains(offender), "the message names " + offender + ":\n" + message);
    }

    @Test
    void everyRuleHasAFixtureThatMakesItFail() {
        long covered = fixtures().map(a -> a.get()[0]).distinct().count();
        assertEquals(ArchitectureRules.all().size(), covered);
    }

    @Test
    void aRuleThatMatchesNoClassFails() {
        assertEquals("true", ArchConfiguration.get().getProperty("archRule.failOnEmptyShould"));
        ArchRule empty =
                classes().that().haveSimpleName("NoSuchClassAnywhere").should().bePublic();
        assertThrows(AssertionError.class, () -> empty.check(SwitchboardClasses.real()));
    }
}
