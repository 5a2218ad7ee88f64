package io.otaedge.control.dialect.onenet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * OneNET's calls besides the check, as PROTOCOLS.md records them: version report and query, token
 * check, progress/state (steps 0–100, states 101–107 and 201–208) and the alternative report, each
 * with its errno set; the state each call leaves is read back through the admin API.
 */
class OneNetSouthCallsTest extends RunningControlTest {

    /** A product with a running FOTA task to 2.0 and its OneNET Authorization header. */
    record Fleet(String pid, String auth, String taskId) {

        String offer(long dev) {
            JsonNode r = control.checkJson(auth, ControlHarness.seedBody(dev, "1.0"));
            assertThat(r.get("errno").asInt()).as(r.toString()).isZero();
            return r.get("data").get("token").asText();
        }

        JsonNode send(String method, String path, String body, String authorization) {
            HttpRequest.Builder b = HttpRequest.newBuilder(control.device(path));
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            HttpResponse<String> r = control.send(b.build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode json = ControlHarness.json(r);
            assertThat(json.has("errno") && json.has("error") && json.has("data")).as(r.body()).isTrue();
            return json;
        }

        int tokenCheck(String token, long dev) {
            return send("GET", "/ota/south/download/" + token + "/check?dev_id=" + dev, null, auth).get("errno").asInt();
        }

        int progress(String token, long dev, String body) {
            return send("POST", "/ota/south/device/download/" + token + "/progress?dev_id=" + dev, body, auth).get("errno").asInt();
        }

        int step(String token, long dev, int step) {
            return progress(token, dev, "{\"step\":" + step + "}");
        }

        int report(String token, long dev, String body) {
            return send("POST", "/ota/south/report?dev_id=" + dev + "&token=" + token, body, auth).get("errno").asInt();
        }

        String state(long dev) {
            JsonNode rows = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress")).get("devices");
            for (JsonNode row : rows) {
                if (row.get("deviceId").asText().equals(Long.toString(dev))) {
                    return row.get("state").asText() + " " + row.path("step").asText("");
                }
            }
            return "none";
        }
    }

    static Fleet fleet(String prefix, String taskFields) {
        String pid = ControlHarness.uniqueId(prefix);
        String key = control.createProduct(pid);
        byte[] fw = new byte[256];
        new Random(3).nextBytes(fw);
        String fwId = control.uploadFirmware(pid, "2.0", fw).get("id").asText();
        String taskId = control.createTask(pid, "{\"firmwareId\":\"" + fwId + "\"" + taskFields + "}").get("id").asText();
        return new Fleet(pid, ControlHarness.authorization(key, pid), taskId);
    }

    @Test
    void theCheckAlsoAnswersOneNetsDocumentedGetWithAQuery() {
        Fleet f = fleet("on-get", "");
        JsonNode r = f.send("GET", "/ota/south/check?dev_id=5&manuf=China%20Mobile&model=M5310&type=1&version=1.0&cdn=false",
                null, f.auth());
        assertThat(r.get("errno").asInt()).isZero();
        assertThat(r.get("data").get("target").asText()).isEqualTo("2.0");
        assertThat(f.send("GET", "/ota/south/check?dev_id=5&manuf=a&model=b&type=2&version=1.0&cdn=true", null, f.auth())
                .get("errno").asInt()).as("no SOTA task").isEqualTo(11);
    }

    @Test
    void aDeviceWalksTheProgressCallsToSuccessAndItsVersionBecomesTheTarget() {
        Fleet f = fleet("on-walk", "");
        String token = f.offer(1);
        assertThat(f.tokenCheck(token, 1)).isZero();
        assertThat(f.state(1)).startsWith("DOWNLOADING");
        assertThat(f.step(token, 1, 40)).isZero();
        assertThat(f.state(1)).isEqualTo("DOWNLOADING 40");
        assertThat(f.step(token, 1, 100)).isZero();
        assertThat(f.state(1)).isEqualTo("UPGRADING 100");
        assertThat(f.step(token, 1, 50)).as("while upgrading only 2xx").isEqualTo(17);
        assertThat(f.step(token, 1, 104)).as("while upgrading only 2xx").isEqualTo(17);
        assertThat(f.step(token, 1, 201)).isZero();
        assertThat(f.state(1)).isEqualTo("SUCCEEDED 100");
        assertThat(f.step(token, 1, 205)).as("finished").isEqualTo(20);
        assertThat(f.tokenCheck(token, 1)).isEqualTo(20);
        JsonNode v = f.send("GET", "/ota/device/version?dev_id=1", null, f.auth());
        assertThat(v.get("data").get("f_version").asText()).isEqualTo("2.0");
        assertThat(v.get("data").get("s_version").asText()).isEmpty();
    }

    @Test
    void failureStatesKeepTheirCodeAsANegativeStep() {
        Fleet f = fleet("on-fail", "");
        String a = f.offer(1);
        assertThat(f.step(a, 1, 30)).isZero();
        assertThat(f.step(a, 1, 102)).isZero();
        assertThat(f.state(1)).isEqualTo("FAILED -102");
        String b = f.offer(2);
        assertThat(f.step(b, 2, 101)).isZero();
        assertThat(f.state(2)).isEqualTo("DOWNLOADED 100");
        assertThat(f.step(b, 2, 205)).isZero();
        assertThat(f.state(2)).isEqualTo("FAILED -205");
    }

    @Test
    void whileUpgradingEvenARepeatedStep100IsRefused() {
        Fleet f = fleet("on-repeat100", "");
        String token = f.offer(1);
        assertThat(f.step(token, 1, 100)).isZero();
        assertThat(f.state(1)).isEqualTo("UPGRADING 100");
        assertThat(f.step(token, 1, 100)).as("while upgrading only 2xx").isEqualTo(17);
        assertThat(f.state(1)).isEqualTo("UPGRADING 100");
        assertThat(f.step(token, 1, 201)).isZero();
    }

    @Test
    void aFailedTaskTakesNoFurtherFailureCodeAndKeepsItsOwn() {
        Fleet f = fleet("on-refail", "");
        String a = f.offer(1);
        assertThat(f.step(a, 1, 101)).isZero();
        assertThat(f.step(a, 1, 205)).isZero();
        assertThat(f.step(a, 1, 102)).as("a download failure after an upgrade failure").isEqualTo(20);
        assertThat(f.step(a, 1, 206)).as("another upgrade failure").isEqualTo(20);
        assertThat(f.report(a, 1, "{\"result\":107}")).isEqualTo(20);
        assertThat(f.state(1)).isEqualTo("FAILED -205");

        String b = f.offer(2);
        assertThat(f.step(b, 2, 40)).isZero();
        assertThat(f.step(b, 2, 102)).isZero();
        for (int code = 202; code <= 208; code++) {
            assertThat(f.step(b, 2, code)).as("upgrade failure %d after a download failure", code).isEqualTo(20);
        }
        assertThat(f.report(b, 2, "{\"result\":205}")).isEqualTo(20);
        assertThat(f.step(b, 2, 104)).as("another download failure").isEqualTo(20);
        assertThat(f.state(2)).isEqualTo("FAILED -102");
        assertThat(f.step(b, 2, 10)).as("a new download is a retry").isZero();
        assertThat(f.state(2)).isEqualTo("DOWNLOADING 10");
    }

    /** AT-command firmware (OneNET OTA demo {@code ota.c}, {@code OTA_Process}): progress up to 100, then report 101 and 201. */
    @Test
    void reporting101AfterStep100IsNoChangeAnd201StillCompletes() {
        Fleet f = fleet("on-101-after-100", "");
        String token = f.offer(1);
        assertThat(f.step(token, 1, 100)).isZero();
        assertThat(f.report(token, 1, "{\"result\":101}")).as("the download is indeed done").isZero();
        assertThat(f.state(1)).isEqualTo("UPGRADING 100");
        assertThat(f.step(token, 1, 101)).isZero();
        assertThat(f.state(1)).isEqualTo("UPGRADING 100");
        assertThat(f.report(token, 1, "{\"result\":201}")).isZero();
        assertThat(f.state(1)).isEqualTo("SUCCEEDED 100");
        assertThat(f.report(token, 1, "{\"result\":101}")).as("finished").isEqualTo(20);
    }

    @Test
    void legitimateRepeatsStillAnswerZero() {
        Fleet f = fleet("on-repeat-ok", "");
        String token = f.offer(1);
        assertThat(f.step(token, 1, 20)).isZero();
        assertThat(f.step(token, 1, 20)).isZero();
        assertThat(f.report(token, 1, "{\"result\":101}")).isZero();
        assertThat(f.report(token, 1, "{\"result\":101}")).as("the 1xx report sent again").isZero();
        assertThat(f.state(1)).isEqualTo("DOWNLOADED 100");
        assertThat(f.report(token, 1, "{\"result\":201}")).isZero();
        assertThat(f.step(token, 1, 201)).as("the 2xx sent again").isZero();
        assertThat(f.state(1)).isEqualTo("SUCCEEDED 100");
    }

    @Test
    void anUnauthenticatedCallerGetsErrno1WhateverItsBody() {
        Fleet f = fleet("on-auth-first", "");
        String token = f.offer(1);
        String bad = "version=2018-10-31&res=x";
        String progress = "/ota/south/device/download/" + token + "/progress?dev_id=1";
        for (String body : new String[] {"{}", "not json", "[1]", "{\"step\":150}", "{\"step\":\"x\"}"}) {
            assertThat(f.send("POST", progress, body, bad).get("errno").asInt()).as("progress " + body).isEqualTo(1);
            assertThat(f.send("POST", progress, body, null).get("errno").asInt()).as("progress " + body).isEqualTo(1);
        }
        String report = "/ota/south/report?dev_id=1&token=" + token;
        for (String body : new String[] {"{}", "not json", "{\"result\":\"x\"}", "{\"result\":50}", "{\"result\":301}"}) {
            assertThat(f.send("POST", report, body, bad).get("errno").asInt()).as("report " + body).isEqualTo(1);
        }
        for (String body : new String[] {"{}", "not json", "{\"f_version\":\"bad version!\"}", "{\"s_version\":[]}"}) {
            assertThat(f.send("POST", "/ota/device/version?dev_id=1", body, bad).get("errno").asInt()).as("version " + body)
                    .isEqualTo(1);
        }
        assertThat(f.state(1)).startsWith("TO_BE_UPGRADED");
        // Authenticated, the same bodies get their own errnos.
        assertThat(f.progress(token, 1, "not json")).isEqualTo(2);
        assertThat(f.report(token, 1, "{}")).isEqualTo(24);
        assertThat(f.send("POST", "/ota/device/version?dev_id=1", "{\"f_version\":\"bad version!\"}", f.auth())
                .get("errno").asInt()).isEqualTo(27);
    }

    @Test
    void progressErrnos() {
        Fleet f = fleet("on-perr", "");
        String token = f.offer(1);
        f.offer(2);
        assertThat(f.step(token, 2, 10)).as("another device's token").isEqualTo(4);
        assertThat(f.step("ota_unknownunknownunknown0", 1, 10)).as("unknown token").isEqualTo(12);
        assertThat(f.step(token, 1, 150)).as("no such code").isEqualTo(2);
        assertThat(f.progress(token, 1, "{}")).isEqualTo(2);
        assertThat(f.progress(token, 1, "not json")).isEqualTo(2);
        assertThat(f.step(token, 1, 201)).as("not downloaded yet").isEqualTo(17);
        assertThat(f.send("POST", "/ota/south/device/download/" + token + "/progress?dev_id=1", "{\"step\":1}", null)
                .get("errno").asInt()).isEqualTo(1);
        assertThat(f.send("POST", "/ota/south/device/download/" + token + "/progress?dev_id=x", "{\"step\":1}", f.auth())
                .get("errno").asInt()).isEqualTo(2);
        control.adminPost("/admin/v1/tasks/" + f.taskId() + "/stop", "");
        assertThat(f.step(token, 1, 10)).as("cancelled").isEqualTo(22);
        assertThat(f.tokenCheck(token, 1)).as("cancelled").isEqualTo(22);
    }

    @Test
    void theTokenCheckErrnos() {
        Fleet f = fleet("on-tcheck", "");
        String token = f.offer(1);
        f.offer(2);
        assertThat(f.tokenCheck(token, 2)).isEqualTo(4);
        assertThat(f.tokenCheck("ota_unknownunknownunknown0", 1)).isEqualTo(12);
        assertThat(f.tokenCheck(token, 1)).isZero();
        assertThat(f.tokenCheck(token, 1)).as("repeatable while downloading").isZero();
        f.step(token, 1, 100);
        assertThat(f.tokenCheck(token, 1)).as("upgrading").isEqualTo(17);
        assertThat(f.send("GET", "/ota/south/download/" + token + "/check?dev_id=1", null, "garbage").get("errno").asInt())
                .isEqualTo(1);
        control.adminDelete("/admin/v1/tokens/" + token);
        assertThat(f.tokenCheck(token, 1)).as("revoked").isEqualTo(12);
    }

    @Test
    void theAlternativeReportIsCalledTwiceAndHasItsOwnErrnos() {
        Fleet f = fleet("on-report", "");
        String token = f.offer(1);
        assertThat(f.report(token, 1, "{\"result\":101}")).isZero();
        assertThat(f.state(1)).isEqualTo("DOWNLOADED 100");
        assertThat(f.report(token, 1, "{\"result\":201}")).isZero();
        assertThat(f.state(1)).isEqualTo("SUCCEEDED 100");
        assertThat(f.report(token, 1, "{\"result\":201}")).as("finished").isZero(); // the same state again is no change
        assertThat(f.report(token, 1, "{\"result\":205}")).as("finished").isEqualTo(20);

        String other = f.offer(2);
        assertThat(f.report(other, 2, "{\"result\":\"x\"}")).isEqualTo(24);
        assertThat(f.report(other, 2, "{}")).isEqualTo(24);
        assertThat(f.report(other, 2, "{\"result\":50}")).as("a percentage is no result").isEqualTo(2);
        assertThat(f.report(other, 2, "{\"result\":301}")).isEqualTo(2);
        assertThat(f.report(other, 1, "{\"result\":101}")).as("token of another device").isEqualTo(1);
        assertThat(f.report("ota_unknownunknownunknown0", 2, "{\"result\":101}")).isEqualTo(1);
        assertThat(f.report(other, 2, "{\"result\":202}")).as("an upgrade result before the download").isEqualTo(24);
        control.adminPost("/admin/v1/tasks/" + f.taskId() + "/stop", "");
        assertThat(f.report(other, 2, "{\"result\":101}")).isEqualTo(22);
    }

    @Test
    void theVersionReportStoresBothVersionsAndCompletesTheTask() {
        Fleet f = fleet("on-version", "");
        String token = f.offer(1);
        f.step(token, 1, 100);
        JsonNode r = f.send("POST", "/ota/device/version?dev_id=1", "{\"f_version\":\"2.0\",\"s_version\":\"app-7\"}", f.auth());
        assertThat(r.get("errno").asInt()).isZero();
        assertThat(f.state(1)).startsWith("SUCCEEDED");
        JsonNode v = f.send("GET", "/ota/device/version?dev_id=1", null, f.auth()).get("data");
        assertThat(v.get("f_version").asText()).isEqualTo("2.0");
        assertThat(v.get("s_version").asText()).isEqualTo("app-7");

        assertThat(f.send("POST", "/ota/device/version?dev_id=1", "{}", f.auth()).get("errno").asInt()).isEqualTo(2);
        assertThat(f.send("POST", "/ota/device/version?dev_id=1", "{\"f_version\":\"bad version!\"}", f.auth())
                .get("errno").asInt()).isEqualTo(27);
        assertThat(f.send("POST", "/ota/device/version?dev_id=1", "{\"f_version\":\"2.0\"}", null).get("errno").asInt()).isEqualTo(1);
        assertThat(f.send("GET", "/ota/device/version?dev_id=1", null, "version=2018-10-31&res=x").get("errno").asInt()).isEqualTo(1);
        assertThat(f.send("GET", "/ota/device/version", null, f.auth()).get("errno").asInt()).isEqualTo(2);
        JsonNode unknown = f.send("GET", "/ota/device/version?dev_id=777", null, f.auth()).get("data");
        assertThat(unknown.get("f_version").asText()).isEmpty();
    }

    @Test
    void aCheckOnTheTargetVersionCompletesTheTask() {
        Fleet f = fleet("on-check-done", "");
        String token = f.offer(1);
        f.step(token, 1, 100);
        assertThat(control.checkJson(f.auth(), ControlHarness.seedBody(1, "2.0")).get("errno").asInt()).isEqualTo(11);
        assertThat(f.state(1)).startsWith("SUCCEEDED");
    }

    @Test
    void aReportedVersionOtherThanTheTargetAfterUpgradingFailsTheTask() {
        Fleet f = fleet("on-version-fail", "");
        String token = f.offer(1);
        f.step(token, 1, 100);
        f.send("POST", "/ota/device/version?dev_id=1", "{\"f_version\":\"1.0\"}", f.auth());
        assertThat(f.state(1)).startsWith("FAILED");
    }
}
