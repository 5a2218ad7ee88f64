package io.otaedge.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin API refuses what it would otherwise ignore or misroute: a body field no handler reads (400
 * {@code unknown_field} naming it, on every admin write), a firmware version devices cannot compare (400
 * {@code invalid_version}), a known path asked with a method it does not answer (405 with {@code Allow}).
 */
class AdminStrictnessTest extends RunningControlTest {

    private static String product;
    private static String firmware;
    private static String task;

    @BeforeAll
    static void catalog() {
        product = ControlHarness.uniqueId("strict");
        control.createProduct(product);
        firmware = control.uploadFirmware(product, "2.0.0", new byte[64]).get("id").asText();
        task = control.createTask(product, "{\"firmwareId\":\"" + firmware + "\",\"stages\":[10,100]}").get("id").asText();
    }

    /** method, path, a body that is valid but for one unknown field, that field. */
    static Stream<Arguments> writes() {
        String p = "/admin/v1/products/";
        return Stream.of(
                Arguments.of("POST", "/admin/v1/products", "{\"productId\":\"typo-p\",\"name\":\"n\",\"nmae\":\"x\"}", "nmae"),
                Arguments.of("PUT", p + product + "/firmwares/" + firmware + "/status", "{\"status\":\"ONLINE\",\"reason\":\"x\"}",
                        "reason"),
                Arguments.of("POST", p + product + "/tasks", "{\"firmwareId\":\"" + firmware + "\",\"retrys\":5}", "retrys"),
                Arguments.of("POST", "/admin/v1/tasks/" + task + "/advance", "{\"stage\":1,\"force\":true}", "force"),
                Arguments.of("POST", p + product + "/onenet-authorization", "{\"expiresIn\":\"PT1H\",\"expires\":\"1h\"}", "expires"),
                Arguments.of("PUT", p + product + "/hawkbit", "{\"pollingSleep\":\"00:05:00\",\"pollingsleep\":\"1\"}",
                        "pollingsleep"),
                Arguments.of("PUT", p + product + "/xiaozhi", "{\"timeZone\":\"Asia/Shanghai\",\"timezone\":\"UTC\"}",
                        "timezone"));
    }

    @ParameterizedTest(name = "{0} {1} with {3}")
    @MethodSource("writes")
    void anUnknownFieldIs400NamingIt(String method, String path, String body, String field) {
        HttpResponse<String> r = control.send(control.adminRequest(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
        AdminApiTest.assertError(r, 400, "unknown_field");
        assertThat(ControlHarness.json(r).get("message").asText()).isEqualTo("unknown field '" + field + "'");
    }

    @Test
    void everyUnknownFieldIsNamedAndNothingIsCreated() {
        HttpResponse<String> r = control.adminPost("/admin/v1/products", "{\"productId\":\"typo-q\",\"name\":\"n\",\"a\":1,\"b\":2}");
        AdminApiTest.assertError(r, 400, "unknown_field");
        assertThat(ControlHarness.json(r).get("message").asText()).isEqualTo("unknown fields 'a', 'b'");
        assertThat(control.adminGet("/admin/v1/products/typo-q").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.2.0", "V1003.002.000", "v2.0", "1.2.3-rc1", "app-1.0.3-rc1", "2017-01-01", "1_0"})
    void anUploadedVersionOfDottedDigitsIsAccepted(String version) {
        HttpResponse<String> r = control.upload(product, "module=m" + Math.abs(version.hashCode()) + "&version=" + version,
                new byte[16]);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "v", "1.", ".1", "1..2", "latest-", "-1.0", "1.0-"})
    void anUploadedVersionDevicesCannotCompareIs400(String version) {
        AdminApiTest.assertError(control.upload(product, "version=" + version, new byte[16]), 400, "invalid_version");
    }

    @Test
    void anUploadWithoutAVersionIs400() {
        AdminApiTest.assertError(control.upload(product, "module=x", new byte[16]), 400, "bad_request");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "DELETE | /admin/v1/products                      | GET, POST",
            "PUT    | /admin/v1/products/any                  | DELETE, GET, PATCH",
            "GET    | /admin/v1/tasks/any/start               | POST",
            "PATCH  | /admin/v1/products/any/firmwares        | GET, POST",
            "GET    | /admin/v1/tokens/ota_x                  | DELETE",
            "DELETE | /admin/v1/products/any/hawkbit          | GET, PUT"})
    void aKnownPathWithAWrongMethodIs405WithAllow(String method, String path, String allow) {
        HttpResponse<String> r = control.send(control.adminRequest(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
        AdminApiTest.assertError(r, 405, "method_not_allowed");
        assertThat(r.headers().firstValue("Allow")).hasValue(allow);
    }

    @Test
    void anUnknownPathStays404AndAWrongKeyStays401() {
        AdminApiTest.assertError(control.adminDelete("/admin/v1/nowhere"), 404, "not_found");
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.admin("/admin/v1/products"))
                .DELETE().build());
        AdminApiTest.assertError(r, 401, "unauthorized");
        JsonNode none = ControlHarness.json(r);
        assertThat(none.has("allow")).isFalse();
    }
}
