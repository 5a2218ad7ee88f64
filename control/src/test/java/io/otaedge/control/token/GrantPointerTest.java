package io.otaedge.control.token;

import static io.otaedge.control.ControlHarness.authorization;
import static io.otaedge.control.ControlHarness.seedBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The device's token pointer carries its grant, and every way a grant ends still ends the pointer's copy. */
class GrantPointerTest extends RunningControlTest {

    String productId;
    String auth;
    String taskId;

    @BeforeEach
    void productWithATask() {
        productId = ControlHarness.uniqueId("pointer");
        auth = authorization(control.createProduct(productId), productId);
        JsonNode fw = control.uploadFirmware(productId, "2.0", "pointer firmware".getBytes(StandardCharsets.US_ASCII));
        taskId = control.createTask(productId, "{\"firmwareId\":\"" + fw.get("id").asText() + "\"}").get("id").asText();
    }

    String token(long devId) {
        JsonNode reply = control.checkJson(auth, seedBody(devId, "1.0"));
        assertThat(reply.get("errno").asInt()).as(reply.toString()).isZero();
        return reply.get("data").get("token").asText();
    }

    String pointerKey(long devId) {
        return RedisKeys.deviceToken(productId, taskId, Long.toString(devId));
    }

    String pointer(long devId) {
        return control.redis.async().get(pointerKey(devId)).toCompletableFuture().join();
    }

    @Test
    void thePointerHoldsTheTokenAndTheGrantTheEdgeReads() {
        String token = token(1);
        GrantPointer p = GrantPointer.decode(pointer(1));
        TokenGrant stored = new TokenStore(control.redis.async()).find(token).toCompletableFuture().join().orElseThrow();
        assertThat(p.token()).isEqualTo(token);
        assertThat(p.copy()).contains(stored);
    }

    @Test
    void aRepeatedCheckIsAnsweredFromTheCopy() {
        String token = token(2);
        // With the grant's key gone behind the service's back, only the copy can still name the token.
        control.redis.async().del(RedisKeys.token(token)).toCompletableFuture().join();
        assertThat(token(2)).isEqualTo(token);
    }

    @Test
    void revokingATokenClearsThePointerSoTheNextCheckGetsANewOne() {
        String token = token(3);
        assertThat(control.adminDelete("/admin/v1/tokens/" + token).statusCode()).isEqualTo(204);
        assertThat(pointer(3)).isNull();
        assertThat(token(3)).isNotEqualTo(token);
        assertThat(control.adminDelete("/admin/v1/tokens/" + token).statusCode()).isEqualTo(404);
    }

    @Test
    void aBareTokenPointerFromAnEarlierVersionIsStillHonoured() {
        String token = token(4);
        control.redis.async().set(pointerKey(4), token).toCompletableFuture().join();
        assertThat(token(4)).isEqualTo(token);
        // Revocation clears a bare pointer too.
        assertThat(control.adminDelete("/admin/v1/tokens/" + token).statusCode()).isEqualTo(204);
        assertThat(pointer(4)).isNull();
    }

    @Test
    void aCopyPastItsExpiryIsReplacedByANewToken() {
        String token = token(5);
        TokenGrant g = GrantPointer.decode(pointer(5)).copy().orElseThrow();
        TokenGrant expired = new TokenGrant(g.token(), g.productId(), g.firmwareId(), g.sha256(), g.md5(), g.size(),
                g.fileName(), g.version(), g.deviceId(), g.taskId(), g.issuedAt(), System.currentTimeMillis() - 1);
        control.redis.async().set(pointerKey(5), token + " " + Json.string(expired)).toCompletableFuture().join();
        String next = token(5);
        assertThat(next).isNotEqualTo(token);
        assertThat(GrantPointer.decode(pointer(5)).token()).isEqualTo(next);
    }

    @Test
    void anUnreadableCopyFallsBackToTheGrantsOwnKey() {
        String token = token(6);
        control.redis.async().set(pointerKey(6), token + " {not json").toCompletableFuture().join();
        assertThat(token(6)).isEqualTo(token);
    }
}
