package io.otaedge.control.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device API's rate limits with their defaults (10 checks at once, 30 a minute per device): one device
 * sending 600 calls at once gets most of them refused in its dialect's own "try later" (never a 5xx), with
 * {@code Retry-After}; another device is not affected; the refusals are counted. The answers chosen follow
 * the published clients: OneNET's AT-command demo ({@code ota.c}) and official SDK read {@code errno}, not the
 * status; xiaozhi-esp32 ({@code main/ota.cc}) retries any non-200 with doubling delays; LuatOS libfota reads any
 * status {@code >= 300} as "no upgrade".
 */
class DeviceRateLimitTest {

    static final int CALLS = 600;
    static final String SECRET = "rate-limit-test-internal-secret";
    static ControlHarness control;
    static HttpClient http;
    static String pid;
    static String oneNetAuth;

    @BeforeAll
    static void start() {
        control = new ControlHarness("OTA_INTERNAL_SECRET", SECRET);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        pid = ControlHarness.uniqueId("rate");
        oneNetAuth = ControlHarness.authorization(control.createProduct(pid), pid);
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    /** {@code CALLS} requests sent at once; their answers. */
    static List<HttpResponse<String>> burst(Function<Integer, HttpRequest> request) {
        long started = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            sent.add(http.sendAsync(request.apply(i), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = sent.stream().map(CompletableFuture::join).toList();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the burst's length").isLessThan(Duration.ofSeconds(10));
        return answers;
    }

    static void mostRefused(List<HttpResponse<String>> answers, Predicate<HttpResponse<String>> refusedInItsWords) {
        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isLessThan(500));
        List<HttpResponse<String>> refused = answers.stream().filter(refusedInItsWords).toList();
        // 10 at once, then one every 2 s: a burst that takes a few seconds on a busy machine may earn a few more.
        assertThat(refused).hasSizeGreaterThanOrEqualTo(CALLS - 20);
        assertThat(refused).allSatisfy(r -> assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 60L));
    }

    static HttpRequest oneNetGet(long devId) {
        return HttpRequest.newBuilder(control.device("/ota/south/check?dev_id=" + devId
                + "&manuf=100&model=10001&type=1&version=1.0")).header("Authorization", oneNetAuth).GET().build();
    }

    static double refusals(String dialect, String scope) {
        return control.server.metrics().registry().get("ota.control.rate.limited").tag("dialect", dialect).tag("scope", scope)
                .counter().count();
    }

    @Test
    void oneNetDeviceSending600ChecksGetsErrno7WithItsRetryTimeAndAnotherDeviceIsUnaffected() {
        List<HttpResponse<String>> answers = burst(i -> oneNetGet(9001));
        mostRefused(answers, r -> {
            JsonNode j = ControlHarness.json(r);
            return r.statusCode() == 200 && j.get("errno").asInt() == 7 && j.get("error").asText().startsWith("too many requests, retry in ");
        });
        assertThat(refusals("onenet", "device")).isGreaterThanOrEqualTo(CALLS - 20);
        JsonNode other = ControlHarness.json(control.send(oneNetGet(9002)));
        assertThat(other.get("errno").asInt()).as(other.toString()).isEqualTo(11);
    }

    @Test
    void oneNetPostCheckCountsTheDevIdInItsBody() {
        List<HttpResponse<String>> answers = burst(i -> HttpRequest.newBuilder(control.device("/ota/south/check"))
                .header("Authorization", oneNetAuth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ControlHarness.seedBody(9101, "1.0"))).build());
        mostRefused(answers, r -> ControlHarness.json(r).get("errno").asInt() == 7);
        assertThat(control.checkJson(oneNetAuth, ControlHarness.seedBody(9102, "1.0")).get("errno").asInt()).isEqualTo(11);
    }

    @Test
    void xiaozhiDeviceGets429WithTheSeedsErrorBodyAndAnotherDeviceIsUnaffected() {
        String board = ControlHarness.uniqueId("box");
        control.createProduct(board);
        List<HttpResponse<String>> answers = burst(i -> HttpRequest.newBuilder(control.device("/v1/ota/"))
                .header("Device-Id", i % 2 == 0 ? "D4:06:06:B6:A9:01" : "d4:06:06:b6:a9:01")
                .header("Client-Id", "c").header("User-Agent", board + "/1.0.0").header("Activation-Version", "1").GET().build());
        mostRefused(answers, r -> r.statusCode() == 429 && ControlHarness.json(r).get("error").asText().startsWith("too many requests"));
        assertThat(control.xiaozhiOta(board, "d4:06:06:b6:a9:02", "1.0.0").statusCode()).isEqualTo(200);
    }

    @Test
    void fogDeviceCheckGets429InFogsEnvelope() {
        List<HttpResponse<String>> answers = burst(i -> HttpRequest.newBuilder(control.device(
                "/api/v1/ota/device/?product_id=" + pid + "&wifi_version=1.0.0&mcu_version=1.0.0&device_id=fog-1"))
                .header("Authorization", "token wrong").GET().build());
        mostRefused(answers, r -> r.statusCode() == 429 && ControlHarness.json(r).get("meta").get("code").asInt() == 429);
        HttpResponse<String> other = control.send(HttpRequest.newBuilder(control.device(
                "/api/v1/ota/device/?product_id=" + pid + "&wifi_version=1.0.0&mcu_version=1.0.0&device_id=fog-2"))
                .header("Authorization", "token wrong").GET().build());
        assertThat(other.statusCode()).as(other.body()).isEqualTo(401);
    }

    @Test
    void aliyunDeviceGets429InAliyunsEnvelope() {
        String productKey = ControlHarness.uniqueId("a1L");
        control.createProduct(productKey);
        String token = ControlHarness.json(control.adminGet("/admin/v1/products/" + productKey + "/aliyun-token?deviceName=dn1"))
                .get("iotToken").asText();
        Function<String, HttpRequest> fileGet = device -> HttpRequest.newBuilder(control.device("/living/ota/firmware/file/get"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"1\",\"version\":\"1.0\",\"request\":{\"apiVer\":\"1.0.0\",\"iotToken\":\"" + token
                                + "\"},\"params\":{\"productKey\":\"" + productKey + "\",\"deviceName\":\"" + device
                                + "\",\"currentVersion\":\"1.0.0\"}}"))
                .build();
        mostRefused(burst(i -> fileGet.apply("dn1")), r -> r.statusCode() == 429
                && ControlHarness.json(r).get("code").asInt() == 429 && ControlHarness.json(r).get("localizedMsg").asText().equals("请求过于频繁"));
        HttpResponse<String> other = control.send(fileGet.apply("dn2"));
        assertThat(ControlHarness.json(other).get("code").asInt()).as(other.body()).isEqualTo(200);
    }

    @Test
    void luatosDecisionRefusesWith429NeverA200() {
        String projectKey = ControlHarness.json(control.adminGet("/admin/v1/products/" + pid + "/luatos-key")).get("projectKey").asText();
        Function<String, HttpRequest> decision = imei -> HttpRequest.newBuilder(control.admin("/internal/v1/luatos/decision?project_key="
                        + projectKey + "&firmware_name=" + pid + "_LuatOS-SoC_EC618&version=1001.0.1&imei=" + imei))
                .header("X-OTA-Internal-Secret", SECRET).header("X-Forwarded-For", "198.51.100.7").GET().build();
        List<JsonNode> answers = burst(i -> decision.apply("861551056421746")).stream().map(ControlHarness::json).toList();
        // The edge passes status and reason on to the device: 429 is ">= 300, no upgrade" to libfota.
        assertThat(answers.stream().filter(j -> !j.get("upgrade").asBoolean() && j.get("status").asInt() == 429
                && j.get("reason").asText().startsWith("429 too many requests, retry in "))).hasSizeGreaterThanOrEqualTo(CALLS - 20);
        assertThat(refusals("luatos", "device")).isGreaterThanOrEqualTo(CALLS - 20);
        JsonNode other = ControlHarness.json(control.send(decision.apply("861551056421747")));
        assertThat(other.get("status").asInt()).as(other.toString()).isEqualTo(404);
    }

    @Test
    void theAddressLimitCountsTheDeviceATrustedProxyForwardedAndIgnoresWhatOthersClaim() {
        try (ControlHarness small = new ControlHarness("OTA_RATE_ADDRESS_PER_SECOND", "1", "OTA_RATE_ADDRESS_BURST", "5")) {
            Function<String, Integer> fromNat = nat -> small.send(HttpRequest.newBuilder(small.device("/v1/ota/"))
                    .header("X-Forwarded-For", nat).header("Device-Id", "d4:06:06:b6:a9:" + nat.substring(nat.length() - 2))
                    .GET().build()).statusCode();
            List<Integer> first = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                first.add(fromNat.apply("198.51.100.10"));
            }
            assertThat(first.stream().filter(s -> s == 429)).hasSizeGreaterThanOrEqualTo(3);
            // Loopback is a trusted proxy by default (the edge, forwarding OneNET's calls): another address is its own.
            assertThat(fromNat.apply("198.51.100.11")).isNotEqualTo(429);
            assertThat(small.server.metrics().registry().get("ota.control.rate.limited").tag("dialect", "xiaozhi")
                    .tag("scope", "address").counter().count()).isGreaterThanOrEqualTo(3);
        }
        try (ControlHarness strict = new ControlHarness("OTA_RATE_ADDRESS_PER_SECOND", "1", "OTA_RATE_ADDRESS_BURST", "5",
                "OTA_TRUSTED_PROXIES", "none")) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                statuses.add(strict.send(HttpRequest.newBuilder(strict.device("/nowhere")).header("X-Forwarded-For", "203.0.113." + i)
                        .GET().build()).statusCode());
            }
            // No proxy is trusted: every claim is ignored and all ten come from one address.
            assertThat(statuses.stream().filter(s -> s == 429)).hasSizeGreaterThanOrEqualTo(3);
        }
    }
}
