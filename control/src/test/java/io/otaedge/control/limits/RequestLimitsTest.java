package io.otaedge.control.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.ControlHarness.RawResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every client-controlled size is bounded and every malformed request-target refused, before routing, with
 * the right 4xx and JSON in the path's dialect (issue #13: {@code /%}, {@code /{}}, {@code /a|b} got 500 with
 * an empty body on both ports); a request within the limits is untouched.
 */
class RequestLimitsTest {

    private static final String SECRET = "limits-internal-secret-0123456789";
    private static ControlHarness h;

    @BeforeAll
    static void start() {
        h = new ControlHarness(ControlLimits.MAX_URI_LENGTH, "512", ControlLimits.MAX_HEADERS, "20",
                ControlLimits.MAX_QUERY_PARAMETERS, "20", ControlLimits.MAX_HEADER_SIZE, "2048",
                ControlLimits.MAX_JSON_DEPTH, "8", ControlLimits.MAX_JSON_ARRAY_LENGTH, "50", "OTA_MAX_JSON_BODY_SIZE", "4096",
                "OTA_INTERNAL_SECRET", SECRET);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void malformedTargetsGet400WithJsonOnBothPortsWithOrWithoutTheAdminKeyOrTheirDialectsParameterError() {
        for (String target : new String[] {"/%", "/{}", "/a|b", "/admin/v1/products/%zz", "/x?q=%g1"}) {
            RawResponse device = h.rawDevice("GET", target, null, null);
            assertThat(device.status()).as(target).isEqualTo(400);
            assertThat(device.head()).contains("Content-Type: application/json").contains("Connection: close");
            RawResponse admin = h.rawAdmin("GET", target, null, null, "Authorization: Bearer " + h.adminKey);
            assertThat(admin.status()).as(target).isEqualTo(400);
            assertThat(admin.json().path("message").asText()).as(target).startsWith("the request-target has ");
            assertThat(h.rawAdmin("GET", target, null, null).status()).isEqualTo(400);
        }
        assertThat(h.rawDevice("GET", "/a|b", null, null).json().get("error").asText()).isEqualTo("bad_request_target");
        // On a dialect's path it is a parameter error the way that dialect answers one (OneNET: 200, errno 2).
        RawResponse onenet = h.rawDevice("GET", "/ota/south/check?x=%g1", null, null);
        assertThat(onenet.status()).isEqualTo(200);
        assertThat(onenet.json().get("errno").asInt()).isEqualTo(2);
        assertThat(h.rawDevice("GET", "/v1/ota/{}", null, null).status()).isEqualTo(400);
    }

    @Test
    void aTooLongUriIs414InTheDialectOfItsPath() {
        String longQuery = "?dev_id=1&pad=" + "x".repeat(600);
        RawResponse onenet = h.rawDevice("GET", "/ota/south/check" + longQuery, null, null);
        assertThat(onenet.status()).isEqualTo(414);
        assertThat(onenet.json().get("errno").asInt()).isEqualTo(2);
        RawResponse fog = h.rawDevice("GET", "/api/v1/ota/device/" + longQuery, null, null);
        assertThat(fog.status()).isEqualTo(414);
        assertThat(fog.json().at("/meta/code").asInt()).isEqualTo(10000);
        // Past twice the limit the codec stops reading the line: the path is unknown, the answer plain JSON.
        RawResponse huge = h.rawDevice("GET", "/ota/south/check?pad=" + "x".repeat(2000), null, null);
        assertThat(huge.status()).isEqualTo(414);
        assertThat(huge.json().get("error").asText()).isEqualTo("uri_too_long");
    }

    @Test
    void tooManyOrTooLargeHeadersAre431() {
        String[] many = new String[25];
        for (int i = 0; i < many.length; i++) {
            many[i] = "X-H" + i + ": v";
        }
        RawResponse aliyun = h.rawDevice("POST", "/living/ota/progress/get", "application/json", "{}", many);
        assertThat(aliyun.status()).isEqualTo(431);
        assertThat(aliyun.json().get("code").asInt()).isEqualTo(460);
        RawResponse xiaozhi = h.rawDevice("POST", "/v1/ota/", "application/json", "{}", "X-Big: " + "b".repeat(3000));
        assertThat(xiaozhi.status()).isEqualTo(431);
        assertThat(xiaozhi.json().get("error").asText()).contains("larger than 2048 bytes");
    }

    @Test
    void tooManyQueryParametersAre400() {
        StringBuilder q = new StringBuilder("?dev_id=1");
        for (int i = 0; i < 25; i++) {
            q.append("&p").append(i).append("=1");
        }
        RawResponse onenet = h.rawDevice("GET", "/ota/south/check" + q, null, null);
        assertThat(onenet.status()).isEqualTo(400);
        assertThat(onenet.json().get("error").asText()).contains("more than 20 parameters");
        RawResponse luatos = h.rawAdmin("GET", "/internal/v1/luatos/decision" + q, null, null);
        // The decision's contract: 200 carrying the status the edge gives the device.
        assertThat(luatos.status()).isEqualTo(200);
        assertThat(luatos.json().get("upgrade").asBoolean()).isFalse();
        assertThat(luatos.json().get("status").asInt()).isEqualTo(400);
    }

    /** A second {@code ?} is a legal query character: the call reaches its route (reactor-netty alone routed it nowhere). */
    @Test
    void aQuestionMarkInsideTheQueryStillReachesTheRoute() {
        RawResponse fog = h.rawDevice("GET", "/api/v1/ota/device/?product_id=?x&device_id=a?b", null, null);
        assertThat(fog.status()).as(fog.body()).isEqualTo(401);
        assertThat(fog.json().get("meta").get("code").asInt()).isEqualTo(401);
        RawResponse luatos = h.rawAdmin("GET", "/internal/v1/luatos/decision?project_key=59&firmware_name=?fuzz-box_LuatOS-SoC_EC618"
                + "&version=1.0.0&imei=861551056400001", null, null, "X-OTA-Internal-Secret: " + SECRET);
        assertThat(luatos.status()).as(luatos.body()).isEqualTo(200);
        assertThat(luatos.json().get("upgrade").asBoolean()).isFalse();
    }

    /** Found by the socket fuzzer: a target that is no path was an empty 500 from reactor-netty. */
    @Test
    void aTargetThatIsNoPathIs400AndTheAbsoluteFormIsServed() {
        for (String target : new String[] {"?", "*", "x/y", "?dev_id=1"}) {
            RawResponse r = h.rawDevice("POST", target, null, null);
            assertThat(r.status()).as(target + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isNotBlank();
        }
        RawResponse absolute = h.rawDevice("GET", "http://ota.example:8081/api/v1/ota/device/?product_id=x", null, null);
        assertThat(absolute.status()).as(absolute.body()).isEqualTo(401);
        assertThat(absolute.json().get("meta").get("code").asInt()).isEqualTo(401);
    }

    @Test
    void aDeclaredBodyPastTheLimitIs413BeforeItIsRead() {
        RawResponse r = h.rawDevice("POST", "/ota/south/check", "application/json", "{\"pad\":\"" + "x".repeat(5000) + "\"}");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("errno").asInt()).isEqualTo(2);
    }

    @Test
    void deepOrLongJsonIsRefusedAsTheClientsMistake() {
        String deep = "{\"a\":".repeat(20) + "1" + "}".repeat(20);
        var admin = h.adminPost("/admin/v1/products", deep);
        assertThat(admin.statusCode()).isEqualTo(400);
        assertThat(ControlHarness.json(admin).get("error").asText()).isEqualTo("json_too_deep");
        String longArray = "{\"productId\":\"p\",\"name\":\"n\",\"x\":[" + "1,".repeat(60) + "1]}";
        var array = h.adminPost("/admin/v1/products", longArray);
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(ControlHarness.json(array).get("error").asText()).isEqualTo("json_array_too_long");
        // A dialect answers it in its own envelope (OneNET: errno 2).
        JsonNode onenet = h.rawDevice("POST", "/ota/south/check", "application/json", deep).json();
        assertThat(onenet.get("errno").asInt()).isEqualTo(2);
    }

    @Test
    void aRequestWithinTheLimitsIsServedAsBefore() {
        String p = ControlHarness.uniqueId("lim");
        String key = h.createProduct(p);
        assertThat(h.checkJson(ControlHarness.authorization(key, p), ControlHarness.seedBody(7, "1.0")).get("errno").asInt())
                .isEqualTo(11);
    }
}
