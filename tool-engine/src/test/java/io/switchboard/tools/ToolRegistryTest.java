package io.switchboard.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.tools.builtin.Calculator;
import io.switchboard.tools.builtin.TextStatistics;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolRegistryTest {

    @Test
    void findsToolsByName() {
        ToolRegistry registry = new ToolRegistry(List.of(new TextStatistics(), new Calculator()));
        assertTrue(registry.find("calculator").isPresent());
        assertTrue(registry.find("nope").isEmpty());
        assertEquals(
                List.of("calculator", "text_statistics"),
                registry.all().stream().map(Tool::name).toList());
    }

    @Test
    void refusesTwoToolsWithOneName() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> new ToolRegistry(List.of(new Calculator(), new Calculator())));
        assertTrue(e.getMessage().startsWith("two tools are named 'calculator'"), e.getMessage());
    }
}
