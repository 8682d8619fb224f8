/**
 * Tools that agents call, and their execution with a timeout per tool.
 *
 * <p>Main types, in {@link io.switchboard.tools}:
 * <ul>
 *   <li>{@link io.switchboard.tools.Tool}: the SPI; every CDI bean of this type is a tool;</li>
 *   <li>{@link io.switchboard.tools.ToolRegistry}: the tools by name (names are unique);</li>
 *   <li>{@link io.switchboard.tools.ToolExecutor}: runs a call on behalf of a user's run, emitting
 *       {@code tool_executing} and then exactly one {@code tool_completed} through the emitter it is
 *       given (the calling run's user's manager);</li>
 *   <li>{@link io.switchboard.tools.DeadlineExecutor}: bounded threads with a deadline per task, for
 *       tool calls and agent runs alike.</li>
 * </ul>
 * Built-in tools (unexported package {@code io.switchboard.tools.builtin}): {@code calculator},
 * {@code clock}, {@code text_statistics} and {@code wait}.
 *
 * <p>Configuration ({@code switchboard.tools.*}): {@code default-timeout} (10S), for tools that set
 * none; {@code max-concurrent-calls} (64), beyond which calls fail at once with status {@code error}.
 */
module io.switchboard.tools {
    requires transitive io.switchboard.websocket.api;
    requires io.smallrye.config;
    requires jakarta.cdi;
    requires jakarta.inject;
    requires jakarta.annotation;
    requires org.jboss.logging;

    exports io.switchboard.tools;
}
