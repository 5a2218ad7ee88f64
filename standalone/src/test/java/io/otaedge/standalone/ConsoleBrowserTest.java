package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (Debian's chromium, headless, driven by chromium-driver through Selenium) against
 * a real standalone: the README walkthrough done by clicking, with a OneNET device checking and downloading in the
 * middle and its progress appearing live on the task's page. A failed test leaves a screenshot in
 * target/console-screenshots/.
 */
class ConsoleBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dataDir;
    @TempDir
    static Path files;

    static Standalone system;
    static OtaTestClient client;
    static WebDriver browser;
    static WebDriverWait wait;

    @RegisterExtension
    static final ScreenshotOnFailure screenshots = new ScreenshotOnFailure(() -> browser);

    @BeforeAll
    static void startSystemAndBrowser() {
        system = Standalone.start(StandaloneEndToEndTest.settings(dataDir));
        client = new OtaTestClient(system);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(executable("chromium"));
        // Root in CI and containers: chromium's sandbox needs user namespaces they may not grant.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1024", "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // The driver is Debian's, given by path: Selenium Manager (which would download one) never runs.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(executable("chromedriver"))).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
    }

    /** Installed by .ci/install-tools.sh (packages chromium, chromium-driver); never skipped when missing. */
    private static String executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(name + " is not on PATH: run .ci/install-tools.sh (Debian packages chromium, chromium-driver)");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (system != null) {
            system.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.get(console());
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        visible(By.id("signin"));
        // The browser's log from here on is this test's own.
        browser.manage().logs().get(LogType.BROWSER);
    }

    private static String console() {
        return "http://127.0.0.1:" + system.adminPort() + "/console/";
    }

    private static WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void textIs(By by, String text) {
        wait.until(ExpectedConditions.textToBe(by, text));
    }

    private static void signIn(String key) {
        WebElement field = visible(By.id("key"));
        field.clear();
        field.sendKeys(key);
        browser.findElement(By.id("signin-submit")).click();
    }

    private static void open(String screen) {
        visible(By.cssSelector("nav a[href='#/" + screen + "']")).click();
    }

    @Test
    void aWrongKeyIsRefusedWithAClearMessageAndNotKept() {
        signIn("not-the-key");
        assertThat(visible(By.id("signin-error")).getText()).isEqualTo("That key was refused: check it and try again.");
        assertThat(sessionKey()).isNull();
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
    }

    @Test
    void signingOutForgetsTheKey() {
        signIn(system.adminKey());
        visible(By.id("product-create"));
        assertThat(sessionKey()).isEqualTo(system.adminKey());
        browser.findElement(By.id("sign-out")).click();
        visible(By.id("signin"));
        assertThat(sessionKey()).isNull();
        browser.navigate().refresh();
        visible(By.id("signin"));
    }

    /** The picker fills itself from the API: wait for the product's option before choosing it. */
    private static void chooseProduct(String productId) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#product option[value='" + productId + "']")));
        new Select(browser.findElement(By.id("product"))).selectByValue(productId);
    }

    private static Object sessionKey() {
        return ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('otaedge.key')");
    }

    @Test
    void anOperatorDoesTheWholeWalkthroughInTheConsole() throws Exception {
        signIn(system.adminKey());

        // Products: create one.
        visible(By.id("product-id")).sendKeys("console-demo");
        browser.findElement(By.id("product-name")).sendKeys("Console demo");
        browser.findElement(By.cssSelector("#product-create button[type=submit]")).click();
        visible(By.cssSelector("#products tr[data-product='console-demo']"));

        // Firmware: upload with a progress bar, digests shown.
        byte[] firmware = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(firmware);
        Path file = files.resolve("fw-2.0.0.bin");
        Files.write(file, firmware);
        open("firmware");
        chooseProduct("console-demo");
        visible(By.id("fw-file")).sendKeys(file.toString());
        browser.findElement(By.id("fw-version")).sendKeys("2.0.0");
        browser.findElement(By.cssSelector("#firmware-upload button[type=submit]")).click();
        textIs(By.id("fw-md5"), hex("MD5", firmware));
        assertThat(browser.findElement(By.id("fw-sha256")).getText()).isEqualTo(hex("SHA-256", firmware));
        assertThat(browser.findElement(By.id("fw-progress")).getDomProperty("value")).isEqualTo("1");
        assertThat(browser.findElement(By.id("fw-percent")).getText()).isEqualTo("100 %");
        visible(By.cssSelector("#firmwares tr[data-version='2.0.0']"));

        // Tasks: the form is built from TaskRequest's schema; create it stopped, then start it from its page.
        open("tasks");
        visible(By.id("task-create"));
        for (String field : List.of("firmwareId", "stages", "maximumPerMinute", "mode", "autoAdd", "startAt")) {
            assertThat(browser.findElements(By.id("task-" + field))).as(field).hasSize(1);
        }
        WebElement start = browser.findElement(By.id("task-start"));
        assertThat(start.isSelected()).as("start defaults to true, as documented").isTrue();
        start.click();
        browser.findElement(By.id("task-create-submit")).click();
        WebElement row = visible(By.cssSelector("#tasks tr[data-status='CREATED']"));
        String taskId = row.getDomAttribute("data-task");
        row.findElement(By.tagName("a")).click();
        textIs(By.id("task-status"), "CREATED");
        visible(By.cssSelector("button[data-action='start']")).click();
        textIs(By.id("task-status"), "RUNNING");

        // A device checks and downloads while the page is open: it appears by polling, downloading.
        JsonNode check = client.oneNetCheck(client.oneNetAuthorization("console-demo"), 6523, "1.0");
        assertThat(check.get("errno").asInt()).as(check.toString()).isZero();
        assertThat(client.get(client.download(check.get("data").get("token").asText())).body()).isEqualTo(firmware);
        visible(By.cssSelector("#progress-devices tr[data-device='6523'][data-state='DOWNLOADING']"));
        textIs(By.id("task-total"), "1");
        wait.until(d -> d.findElement(By.cssSelector("#progress-chart g[data-state='DOWNLOADING']")).getDomAttribute("data-count").equals("1"));

        // Pause, resume, stop.
        visible(By.cssSelector("button[data-action='pause']")).click();
        textIs(By.id("task-status"), "PAUSED");
        visible(By.cssSelector("button[data-action='resume']")).click();
        textIs(By.id("task-status"), "RUNNING");
        visible(By.cssSelector("button[data-action='stop']")).click();
        textIs(By.id("task-status"), "STOPPED");
        assertThat(browser.findElements(By.cssSelector("#task-head button"))).isEmpty();

        // Device lookup: the device and the task it was offered.
        open("devices");
        chooseProduct("console-demo");
        visible(By.id("device-id")).sendKeys("6523");
        browser.findElement(By.cssSelector("#device-lookup button[type=submit]")).click();
        visible(By.cssSelector("#device-tasks tr[data-task='" + taskId + "']"));

        // Edges: the standalone's own edge, from its heartbeat.
        open("edges");
        WebElement edge = visible(By.cssSelector("#edges tr[data-edge]"));
        assertThat(edge.getText()).contains("127.0.0.1:" + system.edgePort());

        // Audit: the trail where the server has it, else a plain "not available".
        open("audit");
        wait.until(ExpectedConditions.or(ExpectedConditions.visibilityOfElementLocated(By.id("audit")),
                ExpectedConditions.visibilityOfElementLocated(By.id("audit-empty")),
                ExpectedConditions.visibilityOfElementLocated(By.id("audit-unavailable"))));

        // Nothing the page did was blocked by its own Content-Security-Policy, and no script failed.
        List<LogEntry> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue() && !e.getMessage().contains("/admin/v1/audit"))
                .toList();
        assertThat(problems).isEmpty();
    }

    /**
     * The task form's lists of objects are rows built from their schemas (maintenanceWindows, abortCriteria; an
     * object such as autoRollback is a group of fields): rows are added and removed, the API's refusal of one row's
     * field is shown next to that field, and the task made is the one the API would take as JSON.
     */
    @Test
    void aTaskWithAMaintenanceWindowAndAnAbortCriterionIsMadeThroughRowsAndARefusedFieldIsShownAtIt() throws Exception {
        client.createProduct("console-rows");
        String fwId = client.uploadFirmware("console-rows", "3.0.0", "fw-3.0.0.bin", new byte[1024]).get("id").asText();
        signIn(system.adminKey());
        open("tasks");
        chooseProduct("console-rows");
        // The form for this product (it is built again when the product changes).
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#task-firmwareId option[value='" + fwId + "']")));
        assertThat(browser.findElements(By.cssSelector("#task-autoRollback input, #task-autoRollback select")))
                .as("autoRollback is a group of its schema's fields").isNotEmpty();

        visible(By.id("task-maintenanceWindows-add")).click();
        visible(By.id("task-maintenanceWindows-0-cron")).sendKeys("0 2 * * *");
        browser.findElement(By.id("task-maintenanceWindows-0-duration")).sendKeys("PT3H");
        WebElement zone = browser.findElement(By.id("task-maintenanceWindows-0-zone"));
        zone.sendKeys("Mars/Olympus");
        // A second row, removed again: only one window is sent.
        browser.findElement(By.id("task-maintenanceWindows-add")).click();
        visible(By.id("task-maintenanceWindows-1-remove")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("task-maintenanceWindows-1-cron")));

        visible(By.id("task-abortCriteria-add")).click();
        new Select(visible(By.id("task-abortCriteria-0-failureType"))).selectByVisibleText("FAILED");
        assertThat(new Select(browser.findElement(By.id("task-abortCriteria-0-action"))).getFirstSelectedOption().getText())
                .as("the one action there is").isEqualTo("CANCEL");
        browser.findElement(By.id("task-abortCriteria-0-thresholdPercentage")).sendKeys("20");
        browser.findElement(By.id("task-abortCriteria-0-minNumberOfExecutedThings")).sendKeys("5");

        browser.findElement(By.id("task-create-submit")).click();
        WebElement refusal = visible(By.id("task-maintenanceWindows-0-zone-error"));
        assertThat(refusal.getText()).startsWith("maintenanceWindows[0].zone must be a time zone");
        assertThat(zone.getDomAttribute("aria-invalid")).isEqualTo("true");

        zone.clear();
        zone.sendKeys("Europe/Berlin");
        browser.findElement(By.id("task-create-submit")).click();
        WebElement row = visible(By.cssSelector("#tasks tr[data-task]"));
        assertThat(browser.findElement(By.id("task-maintenanceWindows-0-zone-error")).isDisplayed()).isFalse();
        String taskId = row.getDomAttribute("data-task");

        JsonNode task = io.otaedge.common.json.Json.mapper()
                .readTree(client.adminGet("/admin/v1/tasks/" + taskId).body());
        assertThat(task.get("maintenanceWindows").toString())
                .isEqualTo("[{\"cron\":\"0 2 * * *\",\"duration\":\"PT3H\",\"zone\":\"Europe/Berlin\"}]");
        assertThat(task.get("abortCriteria")).hasSize(1);
        JsonNode criterion = task.get("abortCriteria").get(0);
        assertThat(criterion.get("failureType").asText()).isEqualTo("FAILED");
        assertThat(criterion.get("action").asText()).isEqualTo("CANCEL");
        assertThat(criterion.get("thresholdPercentage").asDouble()).isEqualTo(20.0);
        assertThat(criterion.get("minNumberOfExecutedThings").asInt()).isEqualTo(5);
        assertThat(task.has("autoRollback")).as("left empty, not sent").isFalse();

        row.findElement(By.tagName("a")).click();
        textIs(By.cssSelector("#task-windows li[data-cron='0 2 * * *']"), "0 2 * * * for PT3H (Europe/Berlin)");
        assertThat(visible(By.cssSelector("#task-abort li[data-failure-type='FAILED']")).getText())
                .isEqualTo("CANCEL once FAILED failures reach 20 % of at least 5 finished devices");
    }

    @Test
    void aProductIsArchivedUnarchivedAndDeletedAfterConfirmation() {
        signIn(system.adminKey());
        visible(By.id("product-id")).sendKeys("console-retire");
        browser.findElement(By.id("product-name")).sendKeys("Retired");
        browser.findElement(By.cssSelector("#product-create button[type=submit]")).click();
        String row = "#products tr[data-product='console-retire']";
        visible(By.cssSelector(row + "[data-status='active'] .product-archive")).click();
        visible(By.id("product-confirm-no")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("product-confirm-no")));
        assertThat(browser.findElement(By.cssSelector(row)).getAttribute("data-status")).as("cancelled: unchanged").isEqualTo("active");

        browser.findElement(By.cssSelector(row + " .product-archive")).click();
        visible(By.id("product-confirm-yes")).click();
        visible(By.cssSelector(row + "[data-status='archived']"));
        visible(By.cssSelector(row + " .product-archive")).click();
        visible(By.id("product-confirm-yes")).click();
        visible(By.cssSelector(row + "[data-status='active']"));

        visible(By.cssSelector(row + " .product-delete")).click();
        visible(By.id("product-confirm-yes")).click();
        textIs(By.id("product-action"), "Product console-retire deleted.");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(row)));
    }

    private static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }
}
