package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The admin dashboard at {@code /admin/} in a real headless Chromium, next to a user's chat page. */
@QuarkusTest
class AdminDashboardTest {
    private static final String USER = "browser-hopper";
    private static final String ROW = "#users tr[data-user-id='" + USER + "']";

    @TestHTTPResource("/")
    URI base;

    @Test
    void theDashboardShowsAConnectedUserDisconnectsThemAndSendsThemANotification() throws Exception {
        try (Browser userBrowser = Browser.open();
                Browser adminBrowser = Browser.open()) {
            ChatPage chat = new ChatPage(userBrowser).signIn(base, USER);
            chat.send("what is 2+2");
            chat.awaitRun(0, "completed");

            adminBrowser.get(base.resolve("/admin/"));
            adminBrowser.click("#dev-admin");
            adminBrowser.await(
                    "the user's row",
                    () -> !adminBrowser
                            .script("return Array.from(document.querySelectorAll(\"" + ROW + "\"))")
                            .toString()
                            .equals("[]"));
            assertEquals("1", adminBrowser.text(ROW + " td:nth-child(2)"), "one connection");
            String shares = adminBrowser.text(ROW + " td:nth-child(5)");
            assertTrue(shares.matches("\\S+: 1"), "its node and its one connection there: " + shares);
            adminBrowser.await(
                    "the node, ready",
                    () -> adminBrowser.text("#nodes").contains("(this one)")
                            && adminBrowser.text("#nodes").contains("UP"));
            adminBrowser.await(
                    "the user's last event id",
                    () -> adminBrowser
                            .text(ROW + " td:nth-child(3)")
                            .equals(String.valueOf(chat.eventIds().size())));
            adminBrowser.await(
                    "the compliance status",
                    () -> adminBrowser.text("#compliance").equals("compliant"));
            adminBrowser.await(
                    "the health checks",
                    () -> adminBrowser.text("#checks").contains("websocket-delivery (ready)")
                            && adminBrowser.text("#checks").contains("websocket-managers (well)"));
            adminBrowser.await(
                    "an event rate", () -> adminBrowser.text("#event-rate").matches("\\d+\\.\\d"));
            adminBrowser.screenshot("admin-dashboard");

            adminBrowser.click(ROW + " button");
            chat.awaitConnected(2);
            assertEquals(2, chat.connections(), "the page reconnected once after the disconnect");

            adminBrowser.type("#notify-user", USER);
            adminBrowser.type("#notify-title", "Maintenance at noon");
            adminBrowser.type("#notify-body", "Save your work.");
            adminBrowser.click("#notify-form button[type=submit]");
            adminBrowser.await(
                    "the send result", () -> adminBrowser.text("#notify-result").equals("Sent to 1 user."));
            userBrowser.await(
                    "the notification", () -> chat.notificationTitles().contains("Maintenance at noon"));
            assertTrue(userBrowser.text("#notification-list").contains("Save your work."));
            userBrowser.screenshot("chat-page-notification");
        }
    }

    @Test
    void theDashboardRefusesATokenWithoutTheAdminRole() throws Exception {
        try (Browser browser = Browser.open()) {
            browser.get(base.resolve("/admin/"));
            browser.type("#token", Tokens.valid("not-an-admin"));
            browser.click("#sign-in-form button[type=submit]");
            browser.await("the refusal", () -> browser.text("#sign-in-error").contains("does not have the admin role"));
        }
    }
}
