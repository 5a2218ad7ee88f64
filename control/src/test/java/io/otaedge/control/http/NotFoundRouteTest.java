package io.otaedge.control.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.control.ControlHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device port's fallback ({@link NotFoundRoute}, mounted after every dialect's routes): a path no dialect
 * claims, under any dialect's prefix or none, is the native JSON 404 naming the method and path, whatever the
 * method and whether a body came with it; and a dialect's own path still reaches the dialect.
 */
class NotFoundRouteTest {

    static ControlHarness control;

    @BeforeAll
    static void start() {
        control = new ControlHarness();
    }

    @AfterAll
    static void stop() {
        control.close();
    }

    @Test
    void aPathNoDialectClaimsIsTheNative404() {
        for (String path : new String[] {"/", "/nothing", "/ota/south/nothing", "/xiaozhi/ota/nothing", "/api/site/nothing"}) {
            HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device(path)).GET().build());
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(ControlHarness.json(r).get("error").asText()).as(path).isEqualTo("not_found");
            // reactor-netty's path() drops the leading '/': the message has always named the path so.
            assertThat(ControlHarness.json(r).get("message").asText()).as(path).isEqualTo("no route GET " + path.substring(1));
        }
    }

    @Test
    void aBodySentToNoRouteIsSettledAndAnswered() {
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device("/nothing"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).header("Content-Type", "application/json").build());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(ControlHarness.json(r).get("message").asText()).isEqualTo("no route POST nothing");
    }

    @Test
    void aDialectsOwnPathIsNotTheFallbacks() {
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device("/ota/south/check")).GET().build());
        assertThat(ControlHarness.json(r).has("errno")).isTrue();
    }
}
