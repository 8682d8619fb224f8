/**
 * The Switchboard application: assembles the WebSocket core, tools, agents, notifications and
 * admin into one Quarkus service, and holds the configuration that differs from the modules'
 * defaults ({@code application.properties}).
 *
 * <p>In the dev and test profiles only, it makes a signing key pair at startup
 * ({@link io.switchboard.app.DevKeys}), configures SmallRye JWT to trust it
 * ({@link io.switchboard.app.DevKeyConfigSourceFactory}, which adds nothing in any other profile),
 * and serves
 * {@code GET /dev/token} so that the server works with no identity provider. Quarkus runs this
 * module on the class path; this descriptor is checked by javac.
 */
module io.switchboard.app {
    requires io.switchboard.websocket.core;
    requires io.switchboard.tools;
    requires io.switchboard.agent;
    requires io.switchboard.notifications;
    requires io.switchboard.admin;
    requires org.eclipse.microprofile.config;
    requires io.smallrye.config;
    requires smallrye.jwt.build;
    requires quarkus.arc;
    requires jakarta.inject;
    requires jakarta.ws.rs;
    requires jakarta.annotation;

    exports io.switchboard.app;

    provides io.smallrye.config.ConfigSourceFactory with
            io.switchboard.app.DevKeyConfigSourceFactory;
}
