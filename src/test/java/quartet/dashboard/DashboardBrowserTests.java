package quartet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;
import quartet.QuartetApplication;
import quartet.platform.messaging.FailingTestListeners;

/**
 * The demo story in a real browser: Debian's headless Chromium, driven through
 * chromedriver, plays what a visitor would do on the dashboard and saves screenshots at
 * laptop and phone widths under target/screenshots. Skipped, saying so, where Chromium is
 * not installed.
 */
// Demo mode flushes clicks every second and subscribes a catch-all receiver: close this
// context after the
// class, so it cannot take other test classes' clicks or deliveries while they run.
@DirtiesContext
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        // As in the default configuration, the demo client is an admin (the suite's usual
        // key is not).
        properties = { "quartet.demo.enabled=true", "quartet.shortener.click-flush-interval=1s",
                "quartet.platform.admin-clients=demo,ops" })
// After @SpringBootTest, so its clean-up runs while the context is still open: registered
// first,
// it ran after the context was closed and started a new one, which stayed up for the rest
// of the run.
@ExtendWith(DemoEndpointPerClass.class)
class DashboardBrowserTests {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");

    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private static final Duration STEP = Duration.ofSeconds(45);

    @LocalServerPort
    int port;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    private Path profile;

    private WebDriver browser;

    @BeforeEach
    void startBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (apt-get install chromium chromium-driver): the browser test is skipped");
        profile = Files.createTempDirectory("quartet-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1366,900");
        // An explicit driver and browser: Selenium Manager never runs, so nothing is
        // downloaded.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1366, 900));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void playsTheDemoStoryOnTheDashboard() throws IOException {
        browser.get("http://localhost:" + port + "/");
        WebDriverWait wait = new WebDriverWait(browser, STEP);
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        assertThat(browser.findElement(By.id("api-key")).getText()).isEqualTo(DemoHttp.API_KEY);

        // Payments: an order paid with the approving test card, then the same request
        // replayed.
        browser.findElement(By.id("pay")).click();
        wait.until(ExpectedConditions
            .presenceOfElementLocated(By.cssSelector("#payments-list li[data-status='SUCCEEDED']")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#payments-list li[data-status='SUCCEEDED'] .order-status"), "order PAID"));
        // The list also shows other tests' paid orders (one database): only an enabled
        // button says ours was answered.
        wait.until(ExpectedConditions.elementToBeClickable(By.id("replay"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("replay-result"),
                "Idempotent-Replayed: true"));
        // The list re-renders as events arrive: find and click in one step, again if it
        // went stale.
        wait.until(driver -> {
            driver.findElement(By.cssSelector("#payments-list li[data-status='SUCCEEDED'] button")).click();
            return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline-entries"),
                "PROCESSING -> SUCCEEDED"));
        Files.createDirectories(SCREENSHOTS);
        save("laptop-timeline.png");
        browser.findElement(By.cssSelector("#timeline .close")).click();

        // Webhooks: the payment's events reach the demo receiver with valid signatures.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("received"), "payment.succeeded"));
        // The lists re-render on every event: locate afresh in each check instead of
        // holding elements.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#received li[data-valid='true']"),
                "valid signature"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("received"), "order.paid"));

        // A receiver that fails three times: the delivery retries with backoff and then
        // succeeds.
        browser.findElement(By.id("fail3")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("behaviour"), "next 3"));
        browser.findElement(By.id("ping")).click();
        // A succeeded ping with failed attempts on its row, and the receiver's 500
        // answers.
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#deliveries li[data-type='demo.ping'][data-status='SUCCEEDED'] .dot.bad")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("received"), "500"));

        // Shortener: a link created and clicked once is counted once.
        browser.findElement(By.id("shorten")).click();
        // The link panel re-renders as events arrive: find and click in one step, again
        // if it went stale.
        wait.until(driver -> {
            driver.findElement(By.id("click-link")).click();
            return true;
        });
        wait.until(ExpectedConditions.textToBe(By.id("clicks"), "1"));

        // Rate limiter: a burst of 30 against a bucket of 10 meets 429s.
        browser.findElement(By.id("burst")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("burst-result"), "rejected with 429"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#burst-strip span.bad")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rate-headers"), "demo-burst"));

        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#events li[data-source='kafka']")));

        // Event listeners: one that fails is listed with its reason, and resubmitted by
        // hand it runs again.
        UUID refused = UUID.randomUUID();
        transaction
            .executeWithoutResult(status -> events.publishEvent(new FailingTestListeners.AlwaysRefused(refused)));
        By failedRow = By
            .xpath("//ul[@id='failed-listeners']/li[contains(., 'order " + refused + " is cancelled (token=***)')]");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(failedRow, "1 attempt"));
        wait.until(driver -> {
            driver.findElement(failedRow).findElement(By.tagName("button")).click();
            return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"), "Resubmitted"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(failedRow, "2 attempts"));
        screenshots("laptop", 1366, 900);
        screenshots("phone", 390, 844);
    }

    @AfterEach
    void dropTheFailingPublication() {
        // The suite's contexts share one database: a publication left FAILED would be
        // resubmitted by later tests' runs.
        jdbc.sql("DELETE FROM event_publication WHERE listener_id = 'test.always-refuses'").update();
    }

    /** The first screen as a visitor sees it, and the whole page. */
    private void screenshots(String name, int width, int height) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        browser.manage().window().setSize(new Dimension(width, height));
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        save(name + ".png");
        long page = ((Number) ((JavascriptExecutor) browser)
            .executeScript("return document.documentElement.scrollHeight")).longValue();
        browser.manage().window().setSize(new Dimension(width, (int) Math.min(page + 20, 8000)));
        save(name + "-full.png");
    }

    private void save(String file) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }

}
