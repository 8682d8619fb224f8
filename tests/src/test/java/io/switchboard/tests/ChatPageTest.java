package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The chat page in a real headless Chromium against the real server. */
@QuarkusTest
class ChatPageTest {
    private static final String ADMIN = Tokens.valid("operator", "admin");

    @TestHTTPResource("/")
    URI base;

    @Test
    void theChatPageShowsTheFiveEventsOfARunInOrder() throws Exception {
        try (Browser browser = Browser.open()) {
            ChatPage page = new ChatPage(browser).signIn(base, "browser-ada");
            page.send("what is 6*7?");
            Map<String, Object> run = page.awaitRun(0, "completed");
            assertEquals(Frames.TOOL_RUN, run.get("types"));
            String text = (String) run.get("text");
            assertTrue(text.contains("what is 6*7?"), text);
            assertTrue(text.contains("\"expression\": \"6*7\""), "the tool's parameters are shown: " + text);
            assertTrue(text.contains("6*7 = 42"), "the final answer is shown: " + text);
            assertContiguousFromOne(page.eventIds());
            browser.screenshot("chat-page");
        }
    }

    @Test
    void aRunCanBeCancelledFromItsCard() throws Exception {
        try (Browser browser = Browser.open()) {
            ChatPage page = new ChatPage(browser).signIn(base, "browser-lovelace");
            page.sendAndAwaitStep("wait 5 seconds", "tool_executing");
            browser.click(".run[data-status='running'] .cancel");
            Map<String, Object> run = page.awaitRun(0, "cancelled");
            assertEquals(
                    List.of(
                            "agent_started",
                            "agent_thinking",
                            "agent_thinking",
                            "tool_executing",
                            "tool_completed",
                            "agent_completed"),
                    run.get("types"));
            String text = (String) run.get("text");
            assertTrue(text.contains("the run was cancelled"), "the interrupted tool call says why: " + text);
            assertTrue(text.contains("Cancelled."), text);
            assertEquals(
                    0L,
                    browser.<Long>script("return document.querySelectorAll('.run .cancel').length"),
                    "a finished run has no Cancel button");
        }
    }

    @Test
    void twoUsersSeeOnlyTheirOwnRunsAndNotifications() throws Exception {
        try (Browser first = Browser.open();
                Browser second = Browser.open()) {
            ChatPage alan = new ChatPage(first).signIn(base, "browser-alan");
            ChatPage barbara = new ChatPage(second).signIn(base, "browser-barbara");
            alan.send("what is 1+1");
            barbara.send("count the words: one two three");
            Map<String, Object> alanRun = alan.awaitRun(0, "completed");
            Map<String, Object> barbaraRun = barbara.awaitRun(0, "completed");
            notify("browser-alan", "for alan");
            notify("browser-barbara", "for barbara");
            first.await("alan's notification", () -> alan.notificationTitles().contains("for alan"));
            second.await(
                    "barbara's notification", () -> barbara.notificationTitles().contains("for barbara"));

            assertEquals(1, alan.runs().size());
            assertEquals(1, barbara.runs().size());
            assertNotEquals(alanRun.get("run_id"), barbaraRun.get("run_id"));
            assertTrue(((String) alanRun.get("text")).contains("1+1 = 2"));
            assertTrue(((String) barbaraRun.get("text")).contains("3 words"));
            assertEquals(List.of("for alan"), alan.notificationTitles());
            assertEquals(List.of("for barbara"), barbara.notificationTitles());
        }
    }

    @Test
    void afterAnAdministratorDisconnectThePageShowsExactlyTheEventsEmittedMeanwhile() throws Exception {
        try (Browser browser = Browser.open()) {
            ChatPage page = new ChatPage(browser).signIn(base, "browser-grace");
            page.sendAndAwaitStep("please wait 2 seconds", "tool_executing");
            given().auth()
                    .oauth2(ADMIN)
                    .when()
                    .delete("/api/admin/users/browser-grace/connections")
                    .then()
                    .statusCode(204);
            for (int i = 1; i <= 3; i++) {
                notify("browser-grace", "while away " + i);
            }
            page.awaitConnected(2);
            Map<String, Object> run = page.awaitRun(0, "completed");
            browser.await("three notifications", () -> page.notificationTitles().size() == 3);

            assertEquals(Frames.TOOL_RUN, run.get("types"));
            assertEquals(List.of("while away 3", "while away 2", "while away 1"), page.notificationTitles());
            assertContiguousFromOne(page.eventIds());
            assertEquals(lastEventId("browser-grace"), page.eventIds().size());
        }
    }

    @Test
    void aReloadedPageResumesWhereItWasWithoutRepeatingOrLosingEvents() throws Exception {
        try (Browser browser = Browser.open()) {
            ChatPage page = new ChatPage(browser).signIn(base, "browser-katherine");
            page.sendAndAwaitStep("wait 2 seconds", "tool_executing");
            browser.reload();
            notify("browser-katherine", "during the reload");
            Map<String, Object> run = page.awaitRun(0, "completed");
            browser.await("the notification", () -> page.notificationTitles().size() == 1);

            assertEquals(Frames.TOOL_RUN, run.get("types"));
            assertTrue(((String) run.get("text")).contains("wait 2 seconds"), "the prompt survives the reload");
            assertContiguousFromOne(page.eventIds());
            assertEquals(lastEventId("browser-katherine"), page.eventIds().size());
        }
    }

    private static void notify(String user, String title) {
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("user_id", user, "level", "info", "title", title, "body", "from the test"))
                .when()
                .post("/api/notifications")
                .then()
                .statusCode(202);
    }

    private static long lastEventId(String user) {
        List<Map<String, Object>> users = given().auth()
                .oauth2(ADMIN)
                .when()
                .get("/api/admin/connections")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("per_user");
        return users.stream()
                .filter(u -> user.equals(u.get("user_id")))
                .mapToLong(u -> ((Number) u.get("last_event_id")).longValue())
                .findFirst()
                .orElseThrow();
    }

    /** Every event the page shows, once, and no gap: 1..n. */
    private static void assertContiguousFromOne(List<Long> ids) {
        List<Long> sorted = ids.stream().sorted().toList();
        assertEquals(LongStream.rangeClosed(1, ids.size()).boxed().toList(), sorted, "event ids on the page: " + ids);
    }
}
