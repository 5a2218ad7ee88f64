package io.otaedge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otaedge.common.config.Settings;
import io.otaedge.standalone.Standalone;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walkthrough done with otactl alone against a running standalone (its own Redis, loopback
 * ports): a profile from the standalone's {@code admin.key}, a product, an upload whose digests otactl checks,
 * a task, {@code tasks watch} until a OneNET device (driven here over HTTP as the README's curl lines drive it)
 * has upgraded, and the task's life cycle; then what scripts rely on: table and JSON output, exit codes.
 */
class OtactlEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    @TempDir
    static Path home;
    static Standalone system;
    static Map<String, String> env;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        system = Standalone.start(Settings.from(Map.of("OTA_DATA_DIR", dataDir.toString(), "OTA_EDGE_PORT", "0",
                "OTA_CONTROL_PORT", "0", "OTA_ADMIN_PORT", "0", "OTA_EDGE_ADMIN_PORT", "0")));
        env = Map.of("HOME", home.toString(), "OTACTL_CONFIG", home.resolve("otactl/config").toString());
        Cli.Result added = Cli.run(env, "profile", "add", "local", "--url", adminUrl(),
                "--key-file", dataDir.resolve("admin.key").toString());
        assertThat(added.code()).as(added.toString()).isZero();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    static String adminUrl() {
        return "http://127.0.0.1:" + system.adminPort();
    }

    static Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(env, args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    @Test
    void theWalkthroughFromProfileToAnUpgradedDeviceAndAStoppedTask() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("otactl/config"))))
                .isEqualTo("rw-------");

        Map<String, String> product = ok("products", "create", "demo", "--name", "Demo").fields();
        assertThat(product).containsEntry("productId", "demo").containsEntry("name", "Demo").containsKey("accessKey");

        byte[] firmware = new byte[300_000];
        new Random(17).nextBytes(firmware);
        Path file = home.resolve("fw.bin");
        Files.write(file, firmware);
        Cli.Result upload = ok("firmware", "upload", "-p", "demo", "--version", "1.2.0", "--progress", file.toString());
        Map<String, String> fw = upload.fields();
        assertThat(fw).containsEntry("md5", hex("MD5", firmware)).containsEntry("sha256", hex("SHA-256", firmware))
                .containsEntry("sha1", hex("SHA-1", firmware)).containsEntry("verified", "md5,sha256,sha1")
                .containsEntry("size", "300000").containsEntry("fileName", "fw.bin");
        assertThat(upload.err()).as("the progress bar, forced on without a terminal").contains("upload fw.bin");
        String firmwareId = fw.get("id");

        String taskId = ok("tasks", "create", "-p", "demo", "--firmware", firmwareId, "--no-start", "--retry", "2",
                "-q").out().strip();
        assertThat(ok("tasks", "show", taskId, "-o", "json").json().path("status").asText()).isEqualTo("CREATED");
        assertThat(ok("tasks", "start", taskId).rows().get(1)).containsExactly(taskId, "RUNNING", "1/1");

        String authorization = ok("onenet", "authorization", "-p", "demo", "-q").out().strip();
        CompletableFuture<Cli.Result> watch = CompletableFuture.supplyAsync(
                () -> Cli.run(env, "tasks", "watch", taskId, "--interval", "100ms"));

        JsonNode check = oneNet(authorization, "/ota/south/check", "{\"dev_id\":6523,\"manuf\":\"China Mobile\","
                + "\"model\":\"M5310\",\"type\":1,\"version\":\"1.0\",\"cdn\":false}");
        assertThat(check.path("errno").asInt()).as(check.toString()).isZero();
        HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(URI.create("http://" + check.path("data")
                .path("ipPort").asText() + "/ota/download/" + check.path("data").path("token").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.body()).isEqualTo(firmware);
        JsonNode version = oneNet(authorization, "/ota/device/version?dev_id=6523", "{\"f_version\":\"1.2.0\"}");
        assertThat(version.path("errno").asInt()).as(version.toString()).isZero();

        Cli.Result watched = watch.get(30, TimeUnit.SECONDS);
        assertThat(watched.code()).as(watched.toString()).isZero();
        List<List<String>> lines = watched.rows();
        assertThat(lines.get(0)).startsWith("TIME", "STATUS", "STAGE", "TOTAL").contains("SUCCEEDED", "FAILED");
        int succeeded = lines.get(0).indexOf("SUCCEEDED");
        assertThat(lines.get(lines.size() - 2).get(succeeded)).as(watched.out()).isEqualTo("1");
        assertThat(lines.get(lines.size() - 1)).containsExactly("task " + taskId + " settled: 1 succeeded, 0 failed");

        JsonNode device = ok("devices", "show", "-p", "demo", "6523", "-o", "json").json();
        assertThat(device.path("tasks").get(0).path("taskId").asText()).isEqualTo(taskId);
        assertThat(device.path("tasks").get(0).path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(ok("devices", "show", "-p", "demo", "6523").out()).contains("fotaVersion").contains("SUCCEEDED");

        assertThat(ok("tasks", "pause", taskId).rows().get(1).get(1)).isEqualTo("PAUSED");
        assertThat(ok("tasks", "resume", taskId).rows().get(1).get(1)).isEqualTo("RUNNING");
        assertThat(ok("tasks", "stop", taskId, "-o", "json").json().path("status").asText()).isEqualTo("STOPPED");
        Cli.Result again = Cli.run(env, "tasks", "pause", taskId);
        assertThat(again.code()).as(again.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(again.err().lines()).hasSize(1).first().asString().startsWith("otactl: ").contains("(HTTP 409");
        Cli.Result stopped = ok("tasks", "watch", taskId, "--until", "stopped", "-o", "json");
        assertThat(stopped.json().path("status").asText()).isEqualTo("STOPPED");
        assertThat(stopped.json().path("counts").path("SUCCEEDED").asInt()).isEqualTo(1);

        // 6. the audit trail of the above; 7. retiring the product: delete refused (it holds data), archive kept.
        List<List<String>> audit = ok("audit", "--limit", "10").rows();
        assertThat(audit.get(0)).startsWith("AT", "KEY");
        assertThat(audit.stream().anyMatch(r -> r.contains("/admin/v1/tasks/{taskId}/stop"))).as(audit.toString()).isTrue();
        assertThat(ok("products", "archive", "demo", "-o", "json").json().path("status").asText()).isEqualTo("archived");
        Cli.Result delete = Cli.run(env, "products", "delete", "demo");
        assertThat(delete.code()).as(delete.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(delete.err()).contains("product_not_empty").contains("archive");
        assertThat(ok("products", "unarchive", "demo", "-o", "json").json().path("status").asText()).isEqualTo("active");
    }

    @Test
    void tableAndJsonOutputsCarryTheSameProducts() {
        ok("products", "create", "listed-a", "--name", "A");
        ok("products", "create", "listed-b");
        List<List<String>> table = ok("products", "list").rows();
        assertThat(table.get(0)).containsExactly("PRODUCT", "NAME", "CREATED", "STATUS");
        JsonNode json = ok("products", "list", "-o", "json").json().path("items");
        assertThat(table).hasSize(json.size() + 1);
        for (int i = 0; i < json.size(); i++) {
            assertThat(table.get(i + 1)).containsExactly(json.get(i).path("productId").asText(),
                    json.get(i).path("name").asText(), json.get(i).path("createdAt").asText(), json.get(i).path("status").asText());
        }
        assertThat(table.stream().map(r -> r.subList(0, 2))).contains(List.of("listed-a", "A"),
                List.of("listed-b", "listed-b"));
    }

    @Test
    void listsPageAndTasksAreEditedAndUnusedFirmwareDeleted() throws Exception {
        for (String p : List.of("paged-1", "paged-2", "paged-3")) {
            ok("products", "create", p);
        }
        JsonNode page = ok("products", "list", "--limit", "1", "-o", "json").json();
        assertThat(page.path("items")).hasSize(1);
        assertThat(page.path("nextCursor").isTextual()).isTrue();
        assertThat(ok("products", "list", "--limit", "1").out()).contains("more: --cursor " + page.path("nextCursor").asText());
        JsonNode all = ok("products", "list", "--all", "--limit", "1", "-o", "json").json();
        assertThat(all.path("nextCursor").isNull()).isTrue();
        assertThat(all.path("items").findValuesAsText("productId")).contains("paged-1", "paged-2", "paged-3");

        Path image = home.resolve("paged.bin");
        Files.write(image, new byte[] {4, 5, 6, 7});
        String fw = ok("firmware", "upload", "-p", "paged-1", "--version", "2.0", "--no-progress", "-q", image.toString())
                .out().trim();
        String task = ok("tasks", "create", "-p", "paged-1", "--firmware", fw, "-q").out().trim();
        JsonNode edited = ok("tasks", "edit", task, "--retry", "7", "--device", "d1,d2", "-o", "json").json();
        assertThat(edited.path("retry").asInt()).isEqualTo(7);
        assertThat(edited.path("devices").toString()).isEqualTo("[\"d1\",\"d2\"]");
        JsonNode running = ok("tasks", "list", "--status", "RUNNING", "--all", "-o", "json").json();
        assertThat(running.path("items").findValuesAsText("id")).contains(task);

        Cli.Result inUse = Cli.run(env, "firmware", "delete", "-p", "paged-1", fw);
        assertThat(inUse.code()).as(inUse.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(inUse.err()).contains("firmware_in_use");
        ok("tasks", "stop", task);
        assertThat(ok("firmware", "delete", "-p", "paged-1", fw).out()).contains("deleted " + fw);
        assertThat(ok("firmware", "list", "-p", "paged-1", "-o", "json").json().path("items")).isEmpty();
        assertThat(ok("devices", "list", "-p", "paged-1", "-o", "json").json().path("items")).isEmpty();
    }

    @Test
    void aRefusalExitsOneWithTheServersMessageOnOneLine() {
        Cli.Result r = Cli.run(env, "products", "show", "nope");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("otactl: no product 'nope' (HTTP 404 product_not_found)\n");
    }

    @Test
    void aWrongKeyIsARefusalThatSaysWhichKeyToCheck() {
        Cli.Result r = Cli.run(env, "products", "list", "--key", "not-the-key");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err().lines()).hasSize(1).first().asString().contains("(HTTP 401").contains("check the admin key");
    }

    @Test
    void anUnreachableUrlExitsThree() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Cli.Result r = Cli.run(env, "--url", "http://127.0.0.1:" + closed, "products", "list");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).isEqualTo("otactl: cannot reach http://127.0.0.1:" + closed + ": connection refused\n");
    }

    @Test
    void usageErrorsExitTwo() {
        Cli.Result missing = Cli.run(env, "tasks", "create", "-p", "demo");
        assertThat(missing.code()).as(missing.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("tasks create needs --product and --firmware");
        Cli.Result editFirmware = Cli.run(env, "tasks", "edit", "task_x", "--firmware", "fw_x");
        assertThat(editFirmware.code()).as(editFirmware.toString()).isEqualTo(ExitCodes.USAGE);
        Cli.Result unknown = Cli.run(env, "prodcts", "list");
        assertThat(unknown.code()).as(unknown.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("Did you mean: otactl products");
        Cli.Result noFile = Cli.run(env, "firmware", "upload", "-p", "demo", "--version", "1.0", "/no/such/fw.bin");
        assertThat(noFile.code()).as(noFile.toString()).isEqualTo(ExitCodes.USAGE);
        Cli.Result noProfile = Cli.run(Map.of("OTACTL_CONFIG", home.resolve("none/config").toString()), "products", "list");
        assertThat(noProfile.code()).as(noProfile.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noProfile.err()).startsWith("otactl: no admin URL");
    }

    @Test
    void bashCompletionCoversTheCommands() {
        String script = ok("completion", "bash").out();
        assertThat(script).contains("complete -F").contains("products").contains("watch").contains("--output");
    }

    JsonNode oneNet(String authorization, String target, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.devicePort()
                        + target)).header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }

    @Test
    void keysAreCreatedListedAndRevokedAndARoleKeyIsRefusedWhatItsRoleMayNotDo() {
        String key = ok("keys", "create", "cli-viewer", "--role", "viewer", "-q").out().trim();
        assertThat(key).matches("ota_k_[A-Za-z0-9]{12}_[A-Za-z0-9]{43}");
        String id = key.substring(6, 18);
        List<List<String>> table = ok("keys", "list").rows();
        assertThat(table.get(0)).containsExactly("ID", "NAME", "ROLE", "CREATED", "BY", "EXPIRES");
        assertThat(table.stream().map(r -> r.subList(0, 3))).contains(List.of(id, "cli-viewer", "viewer"));
        assertThat(ok("keys", "list", "-o", "json").out()).doesNotContain(key.substring(19));

        assertThat(ok("--key", key, "products", "list").code()).isZero();
        Cli.Result refused = Cli.run(env, "--key", key, "products", "create", "viewer-made");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.err()).contains("needs the admin role").contains("(HTTP 403 forbidden)");

        assertThat(ok("keys", "revoke", id).out()).isEqualTo("revoked " + id + "\n");
        Cli.Result revoked = Cli.run(env, "--key", key, "products", "list");
        assertThat(revoked.code()).as(revoked.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(revoked.err()).contains("(HTTP 401");
        Cli.Result badRole = Cli.run(env, "keys", "create", "x", "--role", "root");
        assertThat(badRole.code()).as(badRole.toString()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void auditShowsWritesNewestFirstFilteredByKeyAndTarget() {
        ok("products", "create", "audited-p");
        ok("firmware", "upload", "-p", "audited-p", "--version", "1.0.0", "--no-progress", writeFile("audited.bin", 16));
        JsonNode entries = io.otaedge.common.testing.Await.until(Duration.ofSeconds(10),
                () -> ok("audit", "--target", "audited-p", "-o", "json").json().path("items"), e -> e.size() >= 2,
                "two audit entries for audited-p");
        assertThat(entries.get(0).path("route").asText()).isEqualTo("/admin/v1/products/{productId}/firmwares");
        assertThat(entries.get(1).path("route").asText()).isEqualTo("/admin/v1/products");
        assertThat(entries.get(1).path("keyId").asText()).isEqualTo("bootstrap");
        List<List<String>> table = ok("audit", "--target", "audited-p", "--key-id", "bootstrap", "--limit", "1").rows();
        assertThat(table.get(0)).containsExactly("AT", "KEY", "NAME", "METHOD", "ROUTE", "TARGETS", "STATUS", "ADDRESS");
        assertThat(table.get(1)).contains("bootstrap", "POST", "/admin/v1/products/{productId}/firmwares", "201");
        assertThat(table).hasSize(3);
        assertThat(table.get(2).get(0)).startsWith("more: otactl audit --cursor ");

        // A read that hands out a credential (the product with its access key) is in the trail, marked as such.
        ok("products", "show", "audited-p");
        List<String> read = io.otaedge.common.testing.Await.until(Duration.ofSeconds(10),
                () -> ok("audit", "--target", "audited-p", "--limit", "1").rows().get(1), r -> r.contains("GET read_credential"),
                "the credential read in the trail");
        assertThat(read).contains("/admin/v1/products/{productId}", "200");
    }

    static String writeFile(String name, int size) {
        try {
            Path f = home.resolve(name);
            Files.write(f, new byte[size]);
            return f.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
