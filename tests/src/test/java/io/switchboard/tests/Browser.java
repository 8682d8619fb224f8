package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Debian Chromium driven through the system's chromedriver: nothing is downloaded at test
 * time. Each instance is its own browser with its own profile, so two instances are two users.
 */
public final class Browser implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Browser open() throws IOException {
        File chromium = new File(System.getProperty("switchboard.chromium", "/usr/bin/chromium"));
        File chromedriver = new File(System.getProperty("switchboard.chromedriver", "/usr/bin/chromedriver"));
        if (!chromium.canExecute() || !chromedriver.canExecute()) {
            fail("the browser tests need Debian's Chromium and chromedriver at " + chromium + " and " + chromedriver
                    + ": apt-get install chromium chromium-driver (.ci/run does)");
        }
        Path profile = Files.createTempDirectory("switchboard-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // Without the background-networking flags Chromium keeps calling Google's hosts, which this
        // sandbox refuses; --no-sandbox because CI runs as root.
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,900",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver)
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    public void get(URI uri) {
        driver.get(uri.toString());
    }

    void reload() {
        driver.navigate().refresh();
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    void type(String css, String text) {
        WebElement field = find(css);
        if (!"".equals(field.getDomProperty("value"))) {
            field.clear(); // chromedriver refuses to clear an empty required field
        }
        field.sendKeys(text);
    }

    void click(String css) {
        find(css).click();
    }

    String text(String css) {
        return find(css).getText();
    }

    String attribute(String css, String name) {
        return find(css).getDomAttribute(name);
    }

    @SuppressWarnings("unchecked")
    public <T> T script(String javascript, Object... arguments) {
        return (T) ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    /** Runs a script that ends by calling its last argument, a callback, with the result. */
    @SuppressWarnings("unchecked")
    public <T> T scriptAsync(String javascript, Object... arguments) {
        return (T) ((JavascriptExecutor) driver).executeAsyncScript(javascript, arguments);
    }

    /** Polls the page until the condition holds; on failure saves a screenshot and says what the page shows. */
    void await(String what, BooleanSupplier condition) throws InterruptedException, IOException {
        try {
            Awaitility.await("the page did not show " + what).atMost(WAIT).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException notShown) {
            Path shot = screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            fail(notShown.getMessage() + " (screenshot " + shot + "); it shows: "
                    + find("body").getText());
        }
    }

    /** Saves a screenshot under target/screenshots, the test run's artifacts. */
    Path screenshot(String name) throws IOException {
        Path directory = Path.of(System.getProperty("switchboard.screenshots.dir", "target/screenshots"));
        Files.createDirectories(directory);
        Path file = directory.resolve(name + ".png");
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
