package io.switchboard.tools;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Every {@link Tool} bean, by name. Two tools with one name, or a malformed name, fail startup. */
@Singleton
public class ToolRegistry {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final Map<String, Tool> tools;

    @Inject
    public ToolRegistry(Instance<Tool> beans) {
        this(beans.stream().toList());
    }

    /** A registry of exactly these tools. */
    public ToolRegistry(Collection<? extends Tool> tools) {
        Map<String, Tool> byName = new TreeMap<>();
        for (Tool tool : tools) {
            if (!NAME.matcher(tool.name()).matches()) {
                throw new IllegalStateException("tool " + tool.getClass().getName() + " has the name '" + tool.name()
                        + "'; names are 1-64 characters of a-z, 0-9 and _, starting with a letter");
            }
            Tool previous = byName.put(tool.name(), tool);
            if (previous != null) {
                throw new IllegalStateException("two tools are named '" + tool.name() + "': "
                        + previous.getClass().getName() + " and "
                        + tool.getClass().getName());
            }
        }
        this.tools = Map.copyOf(byName);
    }

    /** The tool of that name, if there is one. */
    public Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    /** Every tool, sorted by name. */
    public Collection<Tool> all() {
        return new TreeMap<>(tools).values();
    }
}
