package io.otaedge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otaedge.common.config.Settings;
import io.otaedge.common.testing.Await;
import io.otaedge.standalone.Standalone;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * otactl against a running standalone: {@code products archive|unarchive|delete} (with the server's refusals as exit
 * code 1) and {@code audit --follow}, which prints the trail and then each entry written after it started, once.
 */
class OtactlProductsAndAuditFollowTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    @TempDir
    static Path home;
    static Standalone system;
    static Map<String, String> env;

    @BeforeAll
    static void start() {
        system = Standalone.start(Settings.from(Map.of("OTA_DATA_DIR", dataDir.toString(), "OTA_EDGE_PORT", "0",
                "OTA_CONTROL_PORT", "0", "OTA_ADMIN_PORT", "0", "OTA_EDGE_ADMIN_PORT", "0")));
        env = Map.of("HOME", home.toString(), "OTACTL_CONFIG", home.resolve("otactl/config").toString());
        ok("profile", "add", "local", "--url", "http://127.0.0.1:" + system.adminPort(),
                "--key-file", dataDir.resolve("admin.key").toString());
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    static Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(env, args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    static List<String> listed(String... extra) {
        String[] args = new String[3 + extra.length];
        args[0] = "products";
        args[1] = "list";
        args[2] = "-o=json";
        System.arraycopy(extra, 0, args, 3, extra.length);
        return ok(args).json().path("items").findValuesAsText("productId");
    }

    @Test
    void productsAreArchivedUnarchivedAndDeletedOnlyWhenEmpty() throws Exception {
        ok("products", "create", "cli-arch");
        Path fw = Files.write(home.resolve("cli-arch.bin"), new byte[32]);
        ok("firmware", "upload", "-p", "cli-arch", "--version", "1.0.0", "--no-progress", fw.toString());

        assertThat(ok("products", "archive", "cli-arch").fields()).containsEntry("status", "archived");
        assertThat(listed()).doesNotContain("cli-arch");
        assertThat(listed("--status", "archived")).contains("cli-arch");
        Cli.Result upload = Cli.run(env, "firmware", "upload", "-p", "cli-arch", "--version", "2.0.0", "--no-progress", fw.toString());
        assertThat(upload.code()).as(upload.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(upload.err()).contains("product_archived");

        Cli.Result refused = Cli.run(env, "products", "delete", "cli-arch");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.err()).contains("1 firmware(s)", "Archive it instead", "product_not_empty");

        assertThat(ok("products", "unarchive", "cli-arch").fields()).containsEntry("status", "active");
        assertThat(listed()).contains("cli-arch");

        ok("products", "create", "cli-empty");
        assertThat(ok("products", "delete", "cli-empty").out()).isEqualTo("deleted cli-empty\n");
        assertThat(listed("--status", "all")).doesNotContain("cli-empty");
        assertThat(Cli.run(env, "products", "delete", "cli-empty").code()).isEqualTo(ExitCodes.REFUSED);
    }

    @Test
    void auditFollowPrintsTheTrailThenEachNewEntryOnceUntilInterrupted() throws Exception {
        ok("products", "create", "follow-a");
        Await.until(Duration.ofSeconds(10), () -> ok("audit", "--target", "follow-a", "-o", "json").json().path("items").size(),
                n -> n == 1, "the first entry recorded");

        Following json = Following.start("audit", "--follow", "--interval", "100ms", "-o", "json");
        Following table = Following.start("audit", "--follow", "--interval", "100ms", "--target", "follow-b");
        try {
            Await.until(Duration.ofSeconds(10), () -> json.out().contains("follow-a"), "the trail printed first");
            ok("products", "create", "follow-b");
            ok("products", "archive", "follow-b");
            ok("products", "create", "follow-c");
            Await.until(Duration.ofSeconds(10), () -> json.out().contains("\"follow-c\""), "entries written after the start");
            Await.until(Duration.ofSeconds(10), () -> table.out().lines().count() == 3, "follow-b's two entries under the header");
        } finally {
            json.stop();
            table.stop();
        }
        List<JsonNode> entries = json.out().lines().map(Following::parse).toList();
        assertThat(entries.stream().map(e -> e.path("id").asText()).distinct()).as("no entry twice").hasSameSizeAs(entries);
        List<String> targets = entries.stream().map(e -> e.path("targets").path("productId").asText()).toList();
        assertThat(targets.subList(targets.indexOf("follow-a"), targets.size()))
                .as("oldest first, the new ones after the trail").containsExactly("follow-a", "follow-b", "follow-b", "follow-c");
        assertThat(json.code()).isZero();

        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0).split(" {2,}")).containsExactly("AT", "KEY", "NAME", "METHOD", "ROUTE", "TARGETS", "STATUS", "ADDRESS");
        assertThat(lines.get(1)).contains("POST", "/admin/v1/products", "productId=follow-b", "201");
        assertThat(lines.get(2)).contains("PATCH", "/admin/v1/products/{productId}", "productId=follow-b", "200");
        assertThat(table.code()).isZero();
    }

    /** otactl running in a thread of its own until interrupted; its output read as it grows. */
    static final class Following {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final Thread thread;
        private volatile int code = -1;

        private Following(String... args) {
            thread = new Thread(() -> code = Otactl.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true))
                    .execute(args), "otactl-follow");
        }

        static Following start(String... args) {
            Following f = new Following(args);
            f.thread.start();
            return f;
        }

        String out() {
            return out.toString();
        }

        int code() {
            return code;
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(10_000);
            assertThat(thread.isAlive()).as("follow ended on interrupt; err: " + err).isFalse();
        }

        static JsonNode parse(String line) {
            try {
                return JSON.readTree(line);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
    }
}
