package io.switchboard.tools;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Configuration of tool execution, under {@code switchboard.tools}. */
@ConfigMapping(prefix = "switchboard.tools")
public interface ToolSettings {

    /** How long a call of a tool that names no timeout of its own may take. */
    @WithDefault("10S")
    Duration defaultTimeout();

    /** Most tool calls running at once; a call beyond that fails at once with status {@code error}. */
    @WithDefault("64")
    int maxConcurrentCalls();
}
