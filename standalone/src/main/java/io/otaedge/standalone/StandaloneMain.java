package io.otaedge.standalone;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.control.auth.AdminKeyPolicy;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar ota-standalone.jar}: starts everything, prints where it is and how to try it. */
public final class StandaloneMain {

    private static final Logger log = LoggerFactory.getLogger(StandaloneMain.class);

    private StandaloneMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            System.out.println(Walkthrough.usage());
            return;
        }
        Standalone standalone;
        try {
            Settings settings = Settings.fromEnvironment();
            // A key the operator set must be a real one; the generated one (no key set) always is.
            settings.get("OTA_ADMIN_KEY").ifPresent(AdminKeyPolicy::check);
            standalone = Standalone.start(settings);
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            log.error("Could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping");
            standalone.close();
            stopped.countDown();
        }, "standalone-stop"));
        System.out.println(Walkthrough.text(standalone));
        stopped.await();
    }
}
