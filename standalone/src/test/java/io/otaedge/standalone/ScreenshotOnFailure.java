package io.otaedge.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * Keeps what the browser showed when a test failed: {@code target/console-screenshots/<class>.<test>.png} and the
 * page's DOM beside it ({@code .html}), so a red build in CI can be read without re-running it.
 */
final class ScreenshotOnFailure implements TestWatcher {

    static final Path DIR = Path.of("target", "console-screenshots");

    private final Supplier<WebDriver> browser;

    ScreenshotOnFailure(Supplier<WebDriver> browser) {
        this.browser = browser;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        WebDriver driver = browser.get();
        if (driver == null) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        try {
            Files.createDirectories(DIR);
            Files.write(DIR.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            Files.writeString(DIR.resolve(name + ".html"), driver.getPageSource(), StandardCharsets.UTF_8);
            System.err.println("console test failed: screenshot at " + DIR.resolve(name + ".png").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the screenshot of " + name, e);
        } catch (RuntimeException e) {
            // The browser itself may be what failed: the test's own failure is the one to report.
            cause.addSuppressed(e);
        }
    }
}
