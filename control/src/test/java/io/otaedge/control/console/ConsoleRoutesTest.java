package io.otaedge.control.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web console's files on the operator port: public (no key), each with its content type, a strict
 * Content-Security-Policy, a strong ETag answered by 304, and nothing reachable but the listed files.
 */
class ConsoleRoutesTest extends RunningControlTest {

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Path RESOURCES = Path.of("src", "main", "resources", "console");

    private static HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(control.admin(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return control.send(b.GET().build());
    }

    @Test
    void thePageIsServedWithoutTheKeyAsHtmlWithAStrictPolicy() {
        HttpResponse<String> r = get("/console/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(ConsoleRoutes.CSP);
        assertThat(ConsoleRoutes.CSP).contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.body()).contains("<script type=\"module\" src=\"app.js\"></script>");
    }

    @Test
    void everyFileHasItsContentTypeAndAStrongEtag() {
        List<String> names = new ArrayList<>(ConsoleAssets.FILES);
        names.add(ConsoleAssets.OPENAPI);
        for (String name : names) {
            HttpResponse<String> r = get("/console/" + name);
            assertThat(r.statusCode()).as(name).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(name).hasValue(ConsoleAssets.contentType(name));
            assertThat(r.headers().firstValue("ETag")).as(name).hasValueSatisfying(tag -> assertThat(tag).matches("\"[0-9a-f]{24}\""));
            assertThat(r.headers().firstValue("Cache-Control")).as(name).hasValue("no-cache");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(name).hasValue(ConsoleRoutes.CSP);
        }
        assertThat(ConsoleAssets.contentType("app.js")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(ConsoleAssets.contentType("console.css")).isEqualTo("text/css; charset=utf-8");
    }

    @Test
    void aKnownEtagIsAnswered304WithoutABody() {
        String etag = get("/console/app.js").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> r = get("/console/app.js", "If-None-Match", etag);
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("ETag")).hasValue(etag);
        assertThat(get("/console/app.js", "If-None-Match", "\"stale\"").statusCode()).isEqualTo(200);
    }

    @Test
    void theBarePathRedirectsToTheDirectorySoRelativeModulesResolve() {
        HttpResponse<String> r = get("/console");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).hasValue("/console/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/nope.js", "/console/openapi.yaml", "/console/../logback.xml",
            "/console/io/otaedge/control/console/ConsoleRoutes.class", "/console/views/", "/console/%2e%2e/logback.xml"})
    void onlyTheListedFilesAreReachable(String path) {
        ControlHarness.RawResponse r = control.rawAdmin("GET", path, null, null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void aWriteIs405NamingGetAndHead() {
        ControlHarness.RawResponse r = control.rawAdmin("POST", "/console/app.js", null, null);
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.head()).contains("Allow: GET, HEAD");
        assertThat(r.json().get("error").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void headAnswersTheLengthWithoutTheBody() throws IOException, InterruptedException {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(control.admin("/console/console.css"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(Files.size(RESOURCES.resolve("console.css")));
    }

    @Test
    void openapiJsonIsTheDocumentItBuildsItsFormsFrom() throws IOException {
        JsonNode served = ControlHarness.json(get("/console/openapi.json"));
        JsonNode document = new YAMLMapper().readTree(Path.of("..", "docs", "openapi.yaml").toFile());
        assertThat(served).isEqualTo(document);
        assertThat(served.at("/components/schemas/TaskRequest/properties/firmwareId")).isNotNull();
    }

    @Test
    void theListedFilesAreExactlyTheFilesOnDisk() throws IOException {
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> RESOURCES.relativize(p).toString().replace('\\', '/')))
                    .containsExactlyInAnyOrderElementsOf(ConsoleAssets.FILES);
        }
    }

    @Test
    void noFileHoldsInlineScriptOrStyleThePolicyWouldBlock() throws IOException {
        String html = Files.readString(RESOURCES.resolve("index.html"), StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("style=", "<style", "onclick=", "onload=", "javascript:");
        assertThat(html.replace("<script type=\"module\" src=\"app.js\"></script>", "")).doesNotContain("<script");
        for (String name : ConsoleAssets.FILES) {
            String text = Files.readString(RESOURCES.resolve(name), StandardCharsets.UTF_8)
                    .replace("http://www.w3.org/2000/svg", "svg-namespace");
            // No string-to-code and no markup strings: the policy forbids the one, the DOM builder avoids the other.
            assertThat(text).as(name).doesNotContain("eval(", "new Function", "innerHTML", "outerHTML", "document.write",
                    "http://", "https://");
        }
    }

    @Test
    void theApiBehindTheConsoleStillNeedsTheKey() {
        HttpResponse<String> r = get("/admin/v1/products");
        assertThat(r.statusCode()).isEqualTo(401);
    }
}
