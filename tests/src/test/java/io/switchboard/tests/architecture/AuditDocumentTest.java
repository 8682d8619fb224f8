package io.switchboard.tests.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.tests.MissionCritical;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Keeps {@code docs/websocket_audit_results.md} equal to what the code says. */
@MissionCritical
class AuditDocumentTest {

    private static Set<String> coreExports() throws IOException {
        String file = System.getProperty("switchboard.module.path.file", "target/module-path.txt");
        Path[] modulePath = Arrays.stream(
                        Files.readString(Path.of(file)).strip().split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.toString().contains("websocket-core"))
                .toArray(Path[]::new);
        ModuleDescriptor core = ModuleFinder.of(modulePath)
                .find("io.switchboard.websocket.core")
                .orElseThrow(() -> new AssertionError("websocket-core is not on the module path"))
                .descriptor();
        return core.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }

    @Test
    void theCommittedAuditMatchesTheCode() throws IOException {
        String audit = AuditDocument.render(SwitchboardClasses.real(), coreExports());
        Path file = Path.of(System.getProperty("switchboard.audit.file", "../docs/websocket_audit_results.md"));
        if (Boolean.getBoolean("switchboard.audit.write")) {
            Files.writeString(file, audit);
        }
        assertTrue(Files.exists(file), file + " is missing; create it with:\n" + AuditDocument.COMMAND);
        assertEquals(audit, Files.readString(file), file + " is stale; refresh it with:\n" + AuditDocument.COMMAND);
    }

    @Test
    void theAuditShowsOneImplementationAndEveryConsumer() throws IOException {
        String audit = AuditDocument.render(SwitchboardClasses.real(), coreExports());
        assertTrue(audit.contains("| `" + ArchitectureRules.MANAGER_IMPLEMENTATION + "` | websocket-core |"), audit);
        assertEquals(
                1, audit.lines().filter(l -> l.startsWith("| `io.switchboard.")).count(), audit);
        for (String consumer : Modules.CONSUMERS) {
            assertTrue(audit.contains("| " + consumer + " | "), consumer);
        }
        assertTrue(audit.contains("checks pass (100 %)"), audit);
    }
}
