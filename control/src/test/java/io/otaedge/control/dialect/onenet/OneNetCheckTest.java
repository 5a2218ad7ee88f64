package io.otaedge.control.dialect.onenet;

import static io.otaedge.control.ControlHarness.authorization;
import static io.otaedge.control.ControlHarness.seedBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The OneNET check, over real sockets and a real Redis, against the seed and PROTOCOLS.md. */
class OneNetCheckTest {

    static ControlHarness control;
    static final byte[] FIRMWARE = "firmware 1.2 bytes".repeat(100).getBytes(StandardCharsets.US_ASCII);

    String productId;
    String accessKey;
    String auth;
    JsonNode firmware;

    @BeforeAll
    static void start() {
        // Concurrent checks of one device are tested here: its rate limit is DeviceRateLimitTest's.
        control = new ControlHarness("OTA_TOKEN_TTL", "PT1H", "OTA_RATE_DEVICE_PER_MINUTE", "0");
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    @BeforeEach
    void productWithAFirmware() {
        productId = ControlHarness.uniqueId("onenet");
        accessKey = control.createProduct(productId);
        auth = authorization(accessKey, productId);
        firmware = control.uploadFirmware(productId, "1.2", FIRMWARE);
    }

    JsonNode taskForAll() {
        return control.createTask(productId, "{\"firmwareId\":\"" + firmware.get("id").asText() + "\"}");
    }

    JsonNode device(long devId) {
        return ControlHarness.json(control.adminGet("/admin/v1/products/" + productId + "/devices/" + devId));
    }

    @Test
    void theSeedsRequestExampleGetsTheSeedsResponseShapeFieldByField() throws Exception {
        control.createTask(productId, "{\"firmwareId\":\"" + firmware.get("id").asText()
                + "\",\"signal\":12,\"power\":90,\"retry\":10,\"interval\":90}");

        // The seed's request, verbatim but for the comments JSON does not allow and the version, which
        // must differ from the target ("1.2" in the seed's reply) for a task to apply.
        JsonNode reply = control.checkJson(auth, seedBody(6523, "1.1"));

        assertThat(reply.fieldNames()).toIterable().containsExactly("errno", "error", "data");
        assertThat(reply.get("errno").isInt()).isTrue();
        assertThat(reply.get("errno").asInt()).isZero();
        assertThat(reply.get("error").asText()).isEqualTo("succ");
        JsonNode data = reply.get("data");
        assertThat(data.fieldNames()).toIterable()
                .containsExactly("target", "token", "size", "md5", "signal", "power", "retry", "interval", "ipPort", "type");
        assertThat(data.get("target").asText()).isEqualTo("1.2");
        assertThat(data.get("token").asText()).matches("ota_[0-9A-Za-z]{20}");
        assertThat(data.get("size").isIntegralNumber()).isTrue();
        assertThat(data.get("size").asLong()).isEqualTo(FIRMWARE.length);
        assertThat(data.get("signal").asInt()).isEqualTo(12);
        assertThat(data.get("power").asInt()).isEqualTo(90);
        assertThat(data.get("retry").asInt()).isEqualTo(10);
        // The task's interval moved by the device's own jitter (±20 %, task.Jitter).
        assertThat(data.get("interval").asInt()).isBetween(72, 108);
        assertThat(data.get("md5").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(FIRMWARE)));
        assertThat(data.get("ipPort").asText()).isEqualTo(ControlHarness.EDGE);
        assertThat(data.get("type").asInt()).isEqualTo(1);
    }

    /** The seed's request example as written, {@code //} comments and all, is a valid check. */
    @Test
    void theSeedsRequestExampleWithItsCommentsIsAValidCheck() {
        JsonNode target = control.uploadFirmware(productId, "2.0", FIRMWARE);
        control.createTask(productId, "{\"firmwareId\":\"" + target.get("id").asText() + "\"}");
        String seedExample = """
                {
                "dev_id": 6523, //must be filled, device ID
                "manuf": "China Mobile",//must be filled, the code corresponding to manufacturer name
                "model": "M5310", //must be filled, code corresponding to module name
                "type": 1, //1: fota task, 2: sota task
                "version":"1.2" , //must be filled, device current version number
                "signals": 10, //optional, signal strength
                "powers":30, //optional, percentage of remaining power value
                "cdn": true //whether to return to pull the upgrade package ip.
                }""";

        JsonNode reply = control.checkJson(auth, seedExample);

        assertThat(reply.get("errno").asInt()).as(reply.toString()).isZero();
        assertThat(reply.get("data").get("target").asText()).isEqualTo("2.0");
    }

    /**
     * The check reply's {@code data} is read by AT-command firmware (OneNET OTA demo {@code ota.c},
     * {@code OTA_Check}) with one {@code sscanf}: the bytes must have no spaces and {@code md5} right after
     * {@code size}.
     */
    @Test
    void theReplyMatchesTheAtFirmwaresSscanfPattern() {
        taskForAll();
        var r = control.check(auth, seedBody(7, "1.0"));
        assertThat(r.body()).matches("\\{\"errno\":0,\"error\":\"succ\",\"data\":\\{\"target\":\"1\\.2\",\"token\":\"ota_[0-9A-Za-z]{20}\","
                + "\"size\":" + FIRMWARE.length + ",\"md5\":\"[0-9a-f]{32}\",\"signal\":-?\\d+,\"power\":-?\\d+,"
                + "\"retry\":-?\\d+,\"interval\":-?\\d+,\"ipPort\":\"[^\"]+\",\"type\":1}}");
    }

    @Test
    void theTokenIsSavedForTheEdgeWithTheConfiguredTtl() {
        taskForAll();
        String token = control.checkJson(auth, seedBody(1, "1.0")).get("data").get("token").asText();

        TokenGrant grant = new TokenStore(control.redis.async()).find(token).toCompletableFuture().join().orElseThrow();
        assertThat(grant.sha256()).isEqualTo(firmware.get("sha256").asText());
        assertThat(grant.md5()).isEqualTo(firmware.get("md5").asText());
        assertThat(grant.size()).isEqualTo(FIRMWARE.length);
        assertThat(grant.deviceId()).isEqualTo("1");
        assertThat(grant.version()).isEqualTo("1.2");
        assertThat(grant.fileName()).isEqualTo("fw.bin");
        assertThat(grant.expiresAt() - grant.issuedAt()).isEqualTo(Duration.ofHours(1).toMillis());
        Long pttl = control.redis.async().pttl(RedisKeys.token(token)).toCompletableFuture().join();
        assertThat(pttl).isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
    }

    @Test
    void aSecondCheckGetsTheSameToken() {
        taskForAll();
        String first = control.checkJson(auth, seedBody(6523, "1.0")).get("data").get("token").asText();
        String second = control.checkJson(auth, seedBody(6523, "1.0")).get("data").get("token").asText();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aReusedDifferentialTokenStaysTypeTwoAfterItsPackageIsWithdrawn() throws Exception {
        taskForAll();
        byte[] delta = "delta 1.0 to 1.2".repeat(7).getBytes(StandardCharsets.US_ASCII);
        JsonNode pkg = control.uploadPackage(productId, "1.2", "module=default&sourceVersion=1.0", delta);
        JsonNode first = control.checkJson(auth, seedBody(61, "1.0")).get("data");
        assertThat(first.get("type").asInt()).isEqualTo(2);
        assertThat(first.get("size").asLong()).isEqualTo(delta.length);

        // Withdrawn: the engine now picks the full package, but the device keeps its valid delta token.
        var r = control.adminPut("/admin/v1/products/" + productId + "/firmwares/" + pkg.get("id").asText() + "/status",
                "{\"status\":\"INVALID\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode again = control.checkJson(auth, seedBody(61, "1.0")).get("data");
        assertThat(again.get("token").asText()).isEqualTo(first.get("token").asText());
        assertThat(again.get("size").asLong()).isEqualTo(delta.length);
        assertThat(again.get("md5").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(delta)));
        assertThat(again.get("type").asInt()).as("the token serves the differential package").isEqualTo(2);

        // A device without a token gets the full package, complete.
        JsonNode fresh = control.checkJson(auth, seedBody(62, "1.0")).get("data");
        assertThat(fresh.get("type").asInt()).isEqualTo(1);
        assertThat(fresh.get("size").asLong()).isEqualTo(FIRMWARE.length);
    }

    @Test
    void anotherDeviceGetsAnotherToken() {
        taskForAll();
        String a = control.checkJson(auth, seedBody(1, "1.0")).get("data").get("token").asText();
        String b = control.checkJson(auth, seedBody(2, "1.0")).get("data").get("token").asText();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void concurrentChecksOfOneDeviceAllGetOneToken() {
        taskForAll();
        // The shared test Redis holds other classes' tokens: only the keys this test adds are looked at.
        Set<String> before = new java.util.HashSet<>(control.redis.async().keys("ota:tok:*").toCompletableFuture().join());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(CompletableFuture.supplyAsync(
                        () -> control.checkJson(auth, seedBody(777, "1.0")).get("data").get("token").asText(), pool));
            }
            Set<String> tokens = calls.stream().map(CompletableFuture::join).collect(Collectors.toSet());
            assertThat(tokens).hasSize(1);
            // The losers' grants were revoked: only the winner's token exists in Redis.
            List<String> keys = control.redis.async().keys("ota:tok:*").toCompletableFuture().join().stream()
                    .filter(k -> !before.contains(k)).toList();
            TokenStore store = new TokenStore(control.redis.async());
            List<String> forThisDevice = keys.stream()
                    .map(k -> store.find(k.substring(9, k.length() - 1)).toCompletableFuture().join())
                    .flatMap(java.util.Optional::stream)
                    .filter(g -> g.productId().equals(productId) && g.deviceId().equals("777"))
                    .map(TokenGrant::token).toList();
            assertThat(forThisDevice).containsExactlyElementsOf(tokens);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRevokedTokenIsReplacedAtTheNextCheck() {
        taskForAll();
        String first = control.checkJson(auth, seedBody(5, "1.0")).get("data").get("token").asText();
        assertThat(control.adminDelete("/admin/v1/tokens/" + first).statusCode()).isEqualTo(204);

        String second = control.checkJson(auth, seedBody(5, "1.0")).get("data").get("token").asText();
        assertThat(second).isNotEqualTo(first).startsWith("ota_");
        assertThat(control.checkJson(auth, seedBody(5, "1.0")).get("data").get("token").asText()).isEqualTo(second);
    }

    @Test
    void theReportedVersionIsStoredOnEveryCheckWhetherOrNotATaskApplies() {
        // No task yet: errno 11, and the version is stored all the same.
        assertThat(control.checkJson(auth, seedBody(42, "0.9")).get("errno").asInt()).isEqualTo(11);
        assertThat(device(42).get("fotaVersion").asText()).isEqualTo("0.9");

        taskForAll();
        assertThat(control.checkJson(auth, seedBody(42, "1.0")).get("errno").asInt()).isZero();
        JsonNode dev = device(42);
        assertThat(dev.get("fotaVersion").asText()).isEqualTo("1.0");
        assertThat(dev.get("manuf").asText()).isEqualTo("China Mobile");
        assertThat(dev.get("model").asText()).isEqualTo("M5310");

        // A SOTA check stores the application version beside the firmware version.
        JsonNode sota = control.checkJson(auth, seedBody(42, "app-7").replace("\"type\": 1", "\"type\": 2"));
        assertThat(sota.get("errno").asInt()).isEqualTo(11);
        assertThat(device(42).get("sotaVersion").asText()).isEqualTo("app-7");
        assertThat(device(42).get("fotaVersion").asText()).isEqualTo("1.0");
    }

    @Test
    void progressShowsADeviceThatGotATokenAsToBeUpgraded() {
        String taskId = taskForAll().get("id").asText();
        String token = control.checkJson(auth, seedBody(99, "1.0")).get("data").get("token").asText();

        JsonNode progress = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
        assertThat(progress.get("counts").get("TO_BE_UPGRADED").asInt()).isEqualTo(1);
        assertThat(progress.get("counts").get("SUCCEEDED").asInt()).isZero();
        JsonNode row = progress.get("devices").get(0);
        assertThat(row.get("deviceId").asText()).isEqualTo("99");
        assertThat(row.get("state").asText()).isEqualTo("TO_BE_UPGRADED");
        assertThat(row.get("token").asText()).isEqualTo(token);
        assertThat(row.get("fromVersion").asText()).isEqualTo("1.0");
    }

    // --- errno 11: no task applies ---

    @Test
    void errno11WhenTheProductHasNoTask() {
        assertNoTask(control.checkJson(auth, seedBody(1, "1.0")));
    }

    @Test
    void errno11WhenTheDeviceIsNotInTheTasksDeviceList() {
        control.createTask(productId, "{\"firmwareId\":\"" + firmware.get("id").asText() + "\",\"devices\":[1001,\"1002\"]}");
        assertNoTask(control.checkJson(auth, seedBody(1003, "1.0")));
        assertThat(control.checkJson(auth, seedBody(1002, "1.0")).get("errno").asInt()).isZero();
    }

    @Test
    void errno11WhenTheVersionIsNotASourceVersion() {
        control.createTask(productId, "{\"firmwareId\":\"" + firmware.get("id").asText() + "\",\"sourceVersions\":[\"1.0\"]}");
        assertNoTask(control.checkJson(auth, seedBody(1, "0.5")));
        assertThat(control.checkJson(auth, seedBody(1, "1.0")).get("errno").asInt()).isZero();
    }

    @Test
    void errno11WhenTheDeviceAlreadyRunsTheTarget() {
        taskForAll();
        assertNoTask(control.checkJson(auth, seedBody(1, "1.2")));
    }

    @Test
    void errno11WhenTheTaskIsOfTheOtherType() {
        taskForAll(); // FOTA
        assertNoTask(control.checkJson(auth, seedBody(1, "1.0").replace("\"type\": 1", "\"type\": 2")));
    }

    static void assertNoTask(JsonNode reply) {
        assertThat(reply.get("errno").asInt()).as(reply.toString()).isEqualTo(11);
        assertThat(reply.get("error").asText()).isNotBlank().isNotEqualTo("succ");
        assertThat(reply.get("data").isObject()).isTrue();
        assertThat(reply.get("data").size()).isZero();
    }

    // --- errno 27: version format ---

    @ParameterizedTest
    @ValueSource(strings = {"1.2 beta", "v1/2", "1.2+3", "123456789012345678901", "版本1"})
    void errno27ForAVersionOutsideTheCharsetOrLongerThan20(String version) {
        taskForAll();
        JsonNode reply = control.checkJson(auth, seedBody(1, "X").replace("\"X\"", '"' + version + '"'));
        assertThat(reply.get("errno").asInt()).as(reply.toString()).isEqualTo(27);
    }

    @Test
    void errno27ForAnEmptyVersionAndNotForTwentyCharacters() {
        assertThat(control.checkJson(auth, seedBody(1, "")).get("errno").asInt()).isEqualTo(27);
        assertThat(control.checkJson(auth, seedBody(1, "a_b-c.d".repeat(3).substring(0, 20))).get("errno").asInt()).isEqualTo(11);
    }

    // --- errno 2: parameters ---

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[1,2]",
            "{}",
            "{\"manuf\":\"China Mobile\",\"model\":\"M5310\",\"type\":1,\"version\":\"1.0\",\"cdn\":true}",
            "{\"dev_id\":\"six\",\"manuf\":\"China Mobile\",\"model\":\"M5310\",\"type\":1,\"version\":\"1.0\",\"cdn\":true}",
            "{\"dev_id\":1,\"model\":\"M5310\",\"type\":1,\"version\":\"1.0\",\"cdn\":true}",
            "{\"dev_id\":1,\"manuf\":\"China Mobile\",\"type\":1,\"version\":\"1.0\",\"cdn\":true}",
            "{\"dev_id\":1,\"manuf\":\"China Mobile\",\"model\":\"M5310\",\"version\":\"1.0\",\"cdn\":true}",
            "{\"dev_id\":1,\"manuf\":\"China Mobile\",\"model\":\"M5310\",\"type\":3,\"version\":\"1.0\",\"cdn\":true}",
            "{\"dev_id\":1,\"manuf\":\"China Mobile\",\"model\":\"M5310\",\"type\":1,\"cdn\":true}",
            "{\"dev_id\":1,\"manuf\":\"China Mobile\",\"model\":\"M5310\",\"type\":1,\"version\":\"1.0\",\"cdn\":\"maybe\"}",
            "{\"dev_id\":1,\"manuf\":{},\"model\":\"M5310\",\"type\":1,\"version\":\"1.0\",\"cdn\":true}",
            "{\"dev_id\":1,\"manuf\":\"China Mobile\",\"model\":\"M5310\",\"type\":1,\"version\":\"1.0\",\"cdn\":true,\"signals\":\"strong\"}"})
    void errno2ForBadJsonOrAMissingOrMalformedField(String body) {
        JsonNode reply = control.checkJson(auth, body);
        assertThat(reply.get("errno").asInt()).as(body).isEqualTo(2);
        assertThat(reply.get("error").asText()).isNotBlank();
    }

    // --- errno 1: authentication ---

    @Test
    void errno1WithoutAnAuthorizationHeader() {
        taskForAll();
        assertThat(control.checkJson(null, seedBody(1, "1.0")).get("errno").asInt()).isEqualTo(1);
    }

    @Test
    void errno1ForASignatureMadeWithAnotherKey() {
        taskForAll();
        String otherProduct = ControlHarness.uniqueId("other");
        String otherKey = control.createProduct(otherProduct);
        assertThat(control.checkJson(authorization(otherKey, productId), seedBody(1, "1.0")).get("errno").asInt()).isEqualTo(1);
    }

    @Test
    void errno1ForAnExpiredEt() {
        taskForAll();
        String expired = OneNetAuthorization.sign(accessKey, "products/" + productId, System.currentTimeMillis() / 1000 - 5, "sha1");
        assertThat(control.checkJson(expired, seedBody(1, "1.0")).get("errno").asInt()).isEqualTo(1);
    }

    @Test
    void errno1ForAnUnknownProduct() {
        String unknown = OneNetAuthorization.sign(accessKey, "products/nope-" + productId, System.currentTimeMillis() / 1000 + 60, "md5");
        assertThat(control.checkJson(unknown, seedBody(1, "1.0")).get("errno").asInt()).isEqualTo(1);
    }

    @Test
    void errno1ComesBeforeParameterErrors() {
        assertThat(control.checkJson("version=2018-10-31&res=x", "not json").get("errno").asInt()).isEqualTo(1);
    }

    @Test
    void aDeviceScopedResIsAcceptedWithTheProductKey() {
        taskForAll();
        String deviceAuth = OneNetAuthorization.sign(accessKey, "products/" + productId + "/devices/dev-1",
                System.currentTimeMillis() / 1000 + 60, "sha1");
        assertThat(control.checkJson(deviceAuth, seedBody(1, "1.0")).get("errno").asInt()).isZero();
    }

    /**
     * The signal a device reports at its check ({@code signals}) travels in its token's grant to the edges, whose
     * NB-IoT cell cap sorts downloads by signal band; a device that sent none has none in its grant, and a token
     * handed out again keeps the signal of the check that minted it.
     */
    @Test
    void theSignalsOfTheCheckThatMintedTheTokenAreInItsGrant() {
        taskForAll();
        TokenStore store = new TokenStore(control.redis.async());
        String token = control.checkJson(auth, seedBody(41, "1.0")).get("data").get("token").asText();
        assertThat(store.find(token).toCompletableFuture().join().orElseThrow().signal()).as("seed body: signals 10").isEqualTo(10);

        var again = control.send(HttpRequest.newBuilder(control.device(
                        "/ota/south/check?dev_id=41&manuf=001&model=00108&type=1&version=1.0&signals=25"))
                .header("Authorization", auth).GET().build());
        assertThat(ControlHarness.json(again).get("data").get("token").asText()).isEqualTo(token);
        assertThat(store.find(token).toCompletableFuture().join().orElseThrow().signal()).isEqualTo(10);

        var none = control.send(HttpRequest.newBuilder(control.device(
                        "/ota/south/check?dev_id=42&manuf=001&model=00108&type=1&version=1.0"))
                .header("Authorization", auth).GET().build());
        String other = ControlHarness.json(none).get("data").get("token").asText();
        assertThat(store.find(other).toCompletableFuture().join().orElseThrow().signal()).as("no signals sent").isNull();
    }

    // --- the documented GET form ---

    @Test
    void theGetFormWithAQueryStringAnswersLikeThePost() {
        taskForAll();
        String post = control.checkJson(auth, seedBody(31, "1.0")).get("data").get("token").asText();
        var r = control.send(HttpRequest.newBuilder(control.device(
                        "/ota/south/check?version=1.0&dev_id=31&manuf=China%20Mobile&model=M5310&type=1&cdn=false&signals=3"))
                .header("Authorization", auth).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode reply = ControlHarness.json(r);
        assertThat(reply.get("errno").asInt()).isZero();
        assertThat(reply.get("data").get("token").asText()).isEqualTo(post);
        // OneNET's official OTA SDK (otaPack_Check_Task) never sends cdn: the default applies
        var noCdn = control.send(HttpRequest.newBuilder(control.device(
                        "/ota/south/check?dev_id=31&manuf=001&model=00108&type=1&version=1.0"))
                .header("authorization", auth).GET().build());
        assertThat(ControlHarness.json(noCdn).get("errno").asInt()).as(noCdn.body()).isZero();
        assertThat(ControlHarness.json(noCdn).get("data").get("token").asText()).isEqualTo(post);
        var bad = control.send(HttpRequest.newBuilder(control.device("/ota/south/check?dev_id=31&type=1"))
                .header("Authorization", auth).GET().build());
        assertThat(ControlHarness.json(bad).get("errno").asInt()).isEqualTo(2);
    }

    @Test
    void aQueryWithABrokenEscapeIsErrno2OnTheCheckAndTheOtherQueryCalls() {
        taskForAll();
        String version = "/ota/device/version?dev_id=3%zz";
        for (String target : new String[] {"/ota/south/check?version=1.0&dev_id=31&manuf=China%zzMobile", version}) {
            ControlHarness.RawResponse r = control.rawDevice("GET", target, null, null, "Authorization: " + auth);
            assertThat(r.status()).as(target + " " + r.body()).isEqualTo(200);
            assertThat(r.json().get("errno").asInt()).as(target + " " + r.body()).isEqualTo(2);
        }
    }

    // --- the wire ---

    @Test
    void theReplyWritesCanonicalHeaderNamesAndAContentLength() throws Exception {
        taskForAll();
        byte[] body = seedBody(8, "1.0").getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), control.server.devicePort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /ota/south/check HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                    + "Authorization: " + auth + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String response = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
            String head = response.substring(0, response.indexOf("\r\n\r\n"));
            List<String> names = head.lines().skip(1).map(l -> l.substring(0, l.indexOf(':'))).toList();
            assertThat(names).contains("Content-Type", "Content-Length", "Connection");
            // Every name in canonical case, including the Connection header reactor-netty adds itself.
            assertThat(names).allSatisfy(n -> assertThat(n).matches("([A-Z][a-z0-9]*)(-[A-Z][a-z0-9]*)*"));
            String json = response.substring(response.indexOf("\r\n\r\n") + 4);
            int declared = head.lines().filter(l -> l.startsWith("Content-Length:"))
                    .map(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElseThrow();
            assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(declared);
            assertThat(json).startsWith("{\"errno\":0,\"error\":\"succ\",\"data\":{\"target\":\"1.2\"");
        }
    }

    @Test
    void anUnknownDevicePathIs404Json() {
        var r = control.send(HttpRequest.newBuilder(control.device("/ota/south/nothing")).GET().build());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(ControlHarness.json(r).get("error").asText()).isEqualTo("not_found");
    }

    static byte[] readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    static <T> List<T> list(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
